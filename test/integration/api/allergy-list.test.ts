import { describe, expect, it } from 'vitest';
import { generatePeople, practitionersOf } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import { sandboxVersions } from '../../../server/sandbox/versions';
import { serveRecords } from '../../helpers/sandbox-records';

/**
 * "No known allergies" stated the way FHIR first said it, and DSTU2 records such as the SMART
 * sample patients still do: an empty allergy List (LOINC 52473-6) whose emptyReason is
 * `nilknown`, with no AllergyIntolerance at all. Served by the sandbox EHR from bundles in DSTU2,
 * STU3 and R4: the list cell and the details read "No known allergies" for the patient whose List
 * says so, "none recorded" for the one without, and a current allergy outweighs such a List.
 */
const people = generatePeople('allergy-list', 12, 5);
const [stated, silent] = people.filter((p) => p.family !== people[0].family).slice(0, 2);
const allergic = people.find((p) => p !== stated && p !== silent && p.allergies.length > 0)!;
// More allergy Lists than one page holds: ten old ones saying none known, and a newer one naming an allergy.
const crowded = people.find((p) => ![stated, silent, allergic].includes(p) && p.family !== people[0].family)!;
const emptyReasonSystem = (version: string) =>
  version === 'r4' ? 'http://terminology.hl7.org/CodeSystem/list-empty-reason' : 'http://hl7.org/fhir/list-empty-reason';
const nilKnown = (version: string, patientId: string) => ({
  resourceType: 'List',
  id: `${patientId}-allergy-list`,
  // As the SMART sample records write it: LOINC with a trailing slash, and no status.
  code: { coding: [{ system: 'http://loinc.org/', code: '52473-6', display: 'Allergy' }], text: 'Allergy' },
  subject: { reference: `Patient/${patientId}` },
  date: '2019-05-01',
  mode: 'snapshot',
  emptyReason: { coding: [{ system: emptyReasonSystem(version), code: 'nilknown', display: 'Nil Known' }], text: 'Nil Known' },
});

const served = serveRecords('allergy-list', (version) => {
  const shape = shapes[version];
  const withoutAllergies = (p: typeof stated) => writePerson(shape, p).filter((r) => r.resourceType !== 'AllergyIntolerance');
  return [
    ...practitionersOf([stated, silent, allergic]).map((p) => writePractitioner(shape, p)),
    ...withoutAllergies(stated),
    nilKnown(version, stated.id),
    ...withoutAllergies(silent),
    ...writePerson(shape, allergic),
    nilKnown(version, allergic.id),
    ...withoutAllergies(crowded),
    ...Array.from({ length: 10 }, (_, k) => ({ ...nilKnown(version, crowded.id), id: `${crowded.id}-allergy-list-${k}` })),
    {
      resourceType: 'List',
      id: `${crowded.id}-allergy-list-new`,
      status: 'current',
      mode: 'snapshot',
      code: { coding: [{ system: 'http://loinc.org', code: '52473-6' }] },
      subject: { reference: `Patient/${crowded.id}` },
      date: '2021-03-02',
      entry: [{ item: { display: 'Penicillin allergy' } }],
    },
  ];
});

const base = () => `/api/teams/${served.who.team.id}`;

describe.each(sandboxVersions)('an allergy List from the sandbox %s endpoint', (version) => {
  it('reads "No known allergies" where the List says so, "none recorded" where nothing does, and the allergy over the List', async () => {
    await served.server.api(served.who.owner, 'PUT', `${base()}/connection`, {
      mode: 'ehr',
      url: served.server.info.sandbox.fhir[version],
      name: version,
    });
    const idOf = async (p: typeof stated) => {
      const found = (await served.server.api(served.who.owner, 'GET', `${base()}/patients?identifier=${encodeURIComponent(p.mrn)}`)).body.patients;
      return (found as { id: string; mrn: string }[]).find((f) => f.mrn === p.mrn)!.id;
    };
    const ids = [await idOf(stated), await idOf(silent), await idOf(allergic), await idOf(crowded)];
    const list = (await served.server.api(served.who.owner, 'POST', `${base()}/lists`, { name: `Allergies ${version}` })).body;
    await served.server.api(served.who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'allergies'] });
    await served.server.api(served.who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: ids });
    const view = (await served.server.api(served.who.member, 'GET', `${base()}/lists/${list.id}`)).body;
    const cell = (id: string) => view.rows.find((r: { patientId: string }) => r.patientId === id).cells.allergies;
    expect(cell(ids[0])).toEqual({ status: 'ok', value: [{ substance: null, criticality: null, noneKnown: true }] });
    expect(cell(ids[1])).toEqual({ status: 'none' });
    expect(cell(ids[2]).status).toBe('ok');
    expect(cell(ids[2]).value.some((a: { noneKnown?: true }) => a.noneKnown)).toBe(false);
    expect(cell(ids[2]).value.map((a: { substance: string }) => a.substance)).toContain(allergic.allergies[0].substance);
    // The Lists read are not all there are (the page links to more): none known is not claimed.
    expect(cell(ids[3])).toEqual({ status: 'none' });

    const details = (await served.server.api(served.who.member, 'GET', `${base()}/patients/${ids[0]}/details`)).body;
    expect(details.allergies).toMatchObject({ status: 'ok', value: [{ noneKnown: true, current: true, date: { text: '2019-05-01' } }] });
    expect((await served.server.api(served.who.member, 'GET', `${base()}/patients/${ids[1]}/details`)).body.allergies).toEqual({ status: 'none' });

    const res = await fetch(`${served.server.url}${base()}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await served.server.tokenFor(served.who.member)}` },
    });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.match(/No known allergies/g)).toHaveLength(1);
  });
});
