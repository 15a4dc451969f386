import { describe, expect, it } from 'vitest';
import { generatePeople, practitionersOf } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import { sandboxVersions, type SandboxVersion } from '../../../server/sandbox/versions';
import { serveRecords } from '../../helpers/sandbox-records';

/**
 * Rules a clinical review confirmed, on records the sandbox EHR serves as a hospital's would, in
 * DSTU2, STU3 and R4: an unconfirmed "No known allergy" reads "No known allergies (unconfirmed)";
 * an active order whose dosing schedule (Timing.repeat.boundsPeriod) ended a month ago is not in
 * the cell and reads "ended" in the details; two different heparin orders read "Heparin ×2"; an
 * order with only a structured dose shows it in the details ("5000 U SC every 8 h").
 */
const people = generatePeople('dosing-records', 6, 3);
const person = people[0];
const DAY = 86_400_000;
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const MED_TYPES = new Set(['AllergyIntolerance', 'MedicationOrder', 'MedicationRequest', 'MedicationStatement', 'List']);

function records(version: SandboxVersion, patientId: string): object[] {
  const patient = { reference: `Patient/${patientId}` };
  const r4 = version === 'r4';
  const nka = { coding: [{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }] };
  const allergy =
    version === 'dstu2'
      ? { resourceType: 'AllergyIntolerance', id: 'nka', patient, status: 'unconfirmed', substance: nka }
      : {
          resourceType: 'AllergyIntolerance',
          id: 'nka',
          patient,
          code: nka,
          clinicalStatus: r4
            ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] }
            : 'active',
          verificationStatus: r4
            ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'unconfirmed' }] }
            : 'unconfirmed',
        };
  const order = (id: string, name: string, dosageInstruction: object[]) => ({
    resourceType: version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest',
    id,
    status: 'active',
    ...(version === 'dstu2' ? { patient, dateWritten: dayFromNow(-40) } : { intent: 'order', subject: patient, authoredOn: dayFromNow(-40) }),
    medicationCodeableConcept: { text: name },
    dosageInstruction,
  });
  const dose = { doseQuantity: { value: 5000, unit: 'U' } };
  return [
    allergy,
    order('ended', 'Cefazolin 1 g IV', [
      { text: '1 g IV q8h', timing: { repeat: { boundsPeriod: { start: dayFromNow(-40), end: dayFromNow(-30) } } } },
    ]),
    order('heparin-sc', 'Heparin', [
      { timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } }, route: { text: 'SC' }, ...(r4 ? { doseAndRate: [dose] } : dose) },
    ]),
    order('heparin-iv', 'Heparin', [{ text: '18 units/kg/h IV infusion' }]),
  ];
}

const served = serveRecords('dosing-records', (version) => {
  const shape = shapes[version];
  return [
    ...practitionersOf([person]).map((p) => writePractitioner(shape, p)),
    ...writePerson(shape, person).filter((r) => !MED_TYPES.has(String((r as { resourceType?: string }).resourceType))),
    ...records(version, person.id),
  ];
});

const base = () => `/api/teams/${served.who.team.id}`;

describe.each(sandboxVersions)('allergy statements and orders from the sandbox %s endpoint', (version) => {
  it('keeps the unconfirmed mark, leaves the ended order out, counts two heparin orders and shows a structured dose', async () => {
    await served.server.api(served.who.owner, 'PUT', `${base()}/connection`, {
      mode: 'ehr',
      url: served.server.info.sandbox.fhir[version],
      name: version,
    });
    const found = (await served.server.api(served.who.owner, 'GET', `${base()}/patients?identifier=${encodeURIComponent(person.mrn)}`)).body.patients;
    const id = (found as { id: string; mrn: string }[]).find((f) => f.mrn === person.mrn)!.id;
    const list = (await served.server.api(served.who.owner, 'POST', `${base()}/lists`, { name: `Dosing ${version}` })).body;
    await served.server.api(served.who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'allergies', 'medications'] });
    await served.server.api(served.who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: [id] });

    const [row] = (await served.server.api(served.who.member, 'GET', `${base()}/lists/${list.id}`)).body.rows;
    expect(row.cells.allergies).toEqual({
      status: 'ok',
      value: [{ substance: null, criticality: null, noneKnown: true, verification: 'unconfirmed' }],
    });
    expect(row.cells.medications).toEqual({ status: 'ok', value: [{ name: 'Heparin', status: 'active', count: 2 }] });

    const details = (await served.server.api(served.who.member, 'GET', `${base()}/patients/${id}/details`)).body;
    const meds = details.medications.value as { name: string; status: string; current: boolean; dosage: string | null }[];
    expect(meds.find((m) => m.name.startsWith('Cefazolin'))).toMatchObject({ status: 'ended', current: false });
    expect(meds.filter((m) => m.name === 'Heparin').map((m) => m.dosage)).toEqual(
      expect.arrayContaining(['5000 U SC every 8 h', '18 units/kg/h IV infusion']),
    );

    const res = await fetch(`${served.server.url}${base()}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await served.server.tokenFor(served.who.member)}` },
    });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv).toContain('No known allergies (unconfirmed)');
    expect(csv).toContain('Heparin ×2');
    expect(csv).not.toContain('Cefazolin');
  });
});
