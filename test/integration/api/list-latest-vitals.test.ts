import { describe, expect, it } from 'vitest';
import { generatePeople, practitionersOf, type Person } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import { sandboxVersions } from '../../../server/sandbox/versions';
import { serveRecords } from '../../helpers/sandbox-records';

/**
 * ICU-style charting: after the patient's last round of observations, a heart rate every 15
 * minutes, 60 of them. The list's first page of vital signs (50, newest first) then holds heart
 * rates only; the temperature and weight cells still show the newest temperature and weight, the
 * same as the details panel, in DSTU2, STU3 and R4 (the sandbox answers `code` with several
 * comma-separated codes, and `system|code`).
 */
const [charted, other] = generatePeople('latest-vitals', 6, 3);
const newest = (p: Person, kind: string) =>
  p.vitals
    .filter((v) => v.kind === kind)
    .map((v) => v.time)
    .sort()
    .at(-1)!;
const lastRound = Date.parse(
  charted.vitals
    .map((v) => v.time)
    .sort()
    .at(-1)!,
);

const served = serveRecords('latest-vitals', (version) => {
  const shape = shapes[version];
  const records = writePerson(shape, charted) as Record<string, unknown>[];
  const pulse = records.find((r) => r.resourceType === 'Observation' && JSON.stringify(r.code).includes('"8867-4"'))!;
  const quarterHourly = Array.from({ length: 60 }, (_, i) => ({
    ...pulse,
    id: `${charted.id}-icu-hr-${i}`,
    effectiveDateTime: new Date(lastRound + (i + 1) * 15 * 60_000).toISOString(),
    valueQuantity: { ...(pulse.valueQuantity as object), value: 80 + (i % 10) },
  }));
  return [...practitionersOf([charted, other]).map((p) => writePractitioner(shape, p)), ...records, ...quarterHourly, ...writePerson(shape, other)];
});

const base = () => `/api/teams/${served.who.team.id}`;

describe.each(sandboxVersions)('vital signs older than the first page, from the sandbox %s endpoint', (version) => {
  it('shows the newest temperature and weight in the list, as the details do', async () => {
    const { server, who } = served;
    await server.api(who.owner, 'PUT', `${base()}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[version], name: version });
    const idOf = async (p: Person) => {
      const found = (await server.api(who.owner, 'GET', `${base()}/patients?identifier=${encodeURIComponent(p.mrn)}`)).body.patients;
      return (found as { id: string; mrn: string }[]).find((f) => f.mrn === p.mrn)!.id;
    };
    const ids = [await idOf(charted), await idOf(other)];
    const list = (await server.api(who.owner, 'POST', `${base()}/lists`, { name: `ICU ${version}` })).body;
    await server.api(who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'heartRate', 'temperature', 'weight'] });
    await server.api(who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: ids });
    const view = (await server.api(who.member, 'GET', `${base()}/lists/${list.id}`)).body;
    const cells = (id: string) => view.rows.find((r: { patientId: string }) => r.patientId === id).cells;

    const icu = cells(ids[0]);
    expect(icu.heartRate).toMatchObject({ status: 'ok', value: { time: { text: new Date(lastRound + 60 * 15 * 60_000).toISOString() } } });
    expect(icu.temperature).toMatchObject({ status: 'ok', value: { time: { text: newest(charted, 'temperature') }, value: { unit: '°C' } } });
    expect(icu.weight).toMatchObject({ status: 'ok', value: { time: { text: newest(charted, 'weight') }, value: { unit: 'kg' } } });
    for (const column of ['heartRate', 'temperature', 'weight']) expect(cells(ids[1])[column]).toMatchObject({ status: 'ok' });

    // The list and the details panel agree.
    const details = (await server.api(who.member, 'GET', `${base()}/patients/${ids[0]}/details`)).body;
    const { kind: _t, ...temperature } = details.vitals.value.temperature;
    const { kind: _w, ...weight } = details.vitals.value.weight;
    expect(icu.temperature.value).toEqual(temperature);
    expect(icu.weight.value).toEqual(weight);
  });
});
