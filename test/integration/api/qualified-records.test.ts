import { describe, expect, it } from 'vitest';
import { generatePeople, practitionersOf } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import { serveRecords } from '../../helpers/sandbox-records';

/**
 * Records whose meaning the EHR changed in a way the app cannot read (a modifierExtension, FHIR
 * DSTU2, STU3 and R4), served by the sandbox EHR from bundles as a hospital's would be: the list,
 * the details and the CSV mark them "check in EHR" and never show them plain. The bundles are the
 * sandbox's own records of two people, with modifier extensions added to one person's records.
 */
const negation = [{ url: 'https://sandbox.example.org/fhir/StructureDefinition/not-present', valueBoolean: true }];
const people = generatePeople('qualified-records', 8, 7);
// One with a record of every kind to qualify, and another to stay plain.
const qualified = people.find((p) => p.conditions.length > 0 && p.allergies.length > 0 && p.medications.length > 0)!;
const plain = people.find((p) => p !== qualified)!;

const served = serveRecords('qualified', (version) => {
  const shape = shapes[version];
  const resources = [...practitionersOf([plain, qualified]).map((p) => writePractitioner(shape, p)), ...writePerson(shape, plain)];
  const marked = new Set<string>();
  for (const resource of writePerson(shape, qualified)) {
    const r = resource as Record<string, unknown>;
    // The patient, the first of each kind of record, and every heart rate (so the latest is one).
    const isHeartRate = r.resourceType === 'Observation' && JSON.stringify(r.code).includes('8867-4');
    if (!marked.has(String(r.resourceType)) || isHeartRate) r.modifierExtension = negation;
    marked.add(String(r.resourceType));
    resources.push(resource);
  }
  return resources;
});

const base = () => `/api/teams/${served.who.team.id}`;
const columns = ['name', 'conditions', 'allergies', 'medications', 'heartRate', 'coverage'];

describe.each(['dstu2', 'stu3', 'r4'] as const)('records the EHR qualifies, from the sandbox %s endpoint', (version) => {
  it('are marked on the row, in the details and in the CSV; the same records without a modifier are not', async () => {
    await served.server.api(served.who.owner, 'PUT', `${base()}/connection`, {
      mode: 'ehr',
      url: served.server.info.sandbox.fhir[version],
      name: version,
    });
    const found = (await served.server.api(served.who.owner, 'GET', `${base()}/patients?name=${encodeURIComponent(qualified.family)}`)).body.patients;
    const other = (await served.server.api(served.who.owner, 'GET', `${base()}/patients?name=${encodeURIComponent(plain.family)}`)).body.patients;
    const marked = found.find((p: { mrn: string }) => p.mrn === qualified.mrn);
    const unmarked = other.find((p: { mrn: string }) => p.mrn === plain.mrn);
    expect(marked.recordNotice).toEqual({ kind: 'qualified', replacedById: null, replacedByName: null });
    expect(unmarked.recordNotice).toBeNull();

    const list = (await served.server.api(served.who.owner, 'POST', `${base()}/lists`, { name: `Qualified ${version}` })).body;
    await served.server.api(served.who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns });
    await served.server.api(served.who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: [marked.id, unmarked.id] });
    const view = (await served.server.api(served.who.member, 'GET', `${base()}/lists/${list.id}`)).body;
    const [markedRow, plainRow] = view.rows;
    expect(markedRow.recordNotice).toMatchObject({ kind: 'qualified' });
    expect(markedRow.cells.heartRate).toMatchObject({ status: 'ok', value: { qualified: true } });
    for (const column of ['conditions', 'allergies', 'medications', 'coverage']) {
      const items = markedRow.cells[column].value as { qualified?: true }[];
      expect(
        items.filter((item) => item.qualified),
        column,
      ).toHaveLength(1);
    }
    expect(JSON.stringify(plainRow)).not.toContain('qualified');

    const details = (await served.server.api(served.who.member, 'GET', `${base()}/patients/${marked.id}/details`)).body;
    expect(details.patient.recordNotice).toMatchObject({ kind: 'qualified' });
    for (const part of ['conditions', 'allergies', 'medications', 'coverage', 'encounters'])
      expect(
        details[part].value.filter((c: { qualified?: true }) => c.qualified),
        part,
      ).toHaveLength(1);
    expect(details.vitals.value.heartRate).toMatchObject({ qualified: true });

    const res = await fetch(`${served.server.url}${base()}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await served.server.tokenFor(served.who.member)}` },
    });
    const [, first, second] = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()).split('\r\n');
    expect(first).toContain('(record qualified by the EHR: check in EHR)');
    // Name, conditions, allergies, medications, the heart rate's flag column and coverage.
    expect(first.match(/check in EHR/g)?.length).toBe(6);
    expect(second).not.toContain('check in EHR');
  });
});
