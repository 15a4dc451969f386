import { describe, expect, it } from 'vitest';
import { generatePeople, practitionersOf } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import { sandboxVersions } from '../../../server/sandbox/versions';
import { serveRecords } from '../../helpers/sandbox-records';

/**
 * A long record, as a patient of many years has: 130 stopped drug orders and 110 resolved problems
 * ahead of the current ones in the EHR's order. A FHIR search of them cannot be sorted by date, so
 * a current order or problem may come on any page: the list cell reads the `next` pages and still
 * shows what is current, in DSTU2, STU3 and R4 (the sandbox pages at the `_count` asked, 100).
 */
const [person] = generatePeople('paged-records', 6, 9).filter((p) => p.medications.length > 0 && p.conditions.length > 0);

const served = serveRecords('paged-records', (version) => {
  const shape = shapes[version];
  const records = writePerson(shape, person) as Record<string, unknown>[];
  const order = records.find((r) => r.resourceType === shape.medicationType)!;
  const condition = records.find((r) => r.resourceType === 'Condition')!;
  const stopped = Array.from({ length: 130 }, (_, i) => ({
    ...order,
    id: `${person.id}-old-med-${i}`,
    status: 'stopped',
    medicationCodeableConcept: { text: `Old drug ${i}` },
  }));
  const resolved = Array.from({ length: 110 }, (_, i) => ({
    ...condition,
    id: `${person.id}-old-cond-${i}`,
    code: { text: `Old problem ${i}` },
    clinicalStatus: shape.status('http://terminology.hl7.org/CodeSystem/condition-clinical', 'resolved'),
  }));
  return [...practitionersOf([person]).map((p) => writePractitioner(shape, p)), ...stopped, ...resolved, ...records];
});

const base = () => `/api/teams/${served.who.team.id}`;

describe.each(sandboxVersions)('a long record from the sandbox %s endpoint', (version) => {
  it('shows the current drugs and problems in the list cell, whatever page of the search they come on', async () => {
    const { server, who } = served;
    await server.api(who.owner, 'PUT', `${base()}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[version], name: version });
    const found = (await server.api(who.owner, 'GET', `${base()}/patients?identifier=${encodeURIComponent(person.mrn)}`)).body.patients;
    const id = (found as { id: string; mrn: string }[]).find((f) => f.mrn === person.mrn)!.id;
    const list = (await server.api(who.owner, 'POST', `${base()}/lists`, { name: `Long record ${version}` })).body;
    await server.api(who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'medications', 'conditions'] });
    await server.api(who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: [id] });
    const [row] = (await server.api(who.member, 'GET', `${base()}/lists/${list.id}`)).body.rows;
    expect(row.cells.medications.status).toBe('ok');
    expect(row.cells.medications.value.map((m: { name: string }) => m.name).sort()).toEqual(person.medications.map((m) => m.name).sort());
    expect(row.cells.conditions.status).toBe('ok');
    expect(row.cells.conditions.value.map((c: { display: string }) => c.display).sort()).toEqual(person.conditions.map((c) => c.display).sort());
  });
});
