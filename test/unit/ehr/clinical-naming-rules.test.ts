import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { adapters } from '../../../server/ehr/adapters/index.js';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readCoverage, readMedications, unnamedPayors } from '../../../server/ehr/clinical/medications.js';
import { readAllergies } from '../../../server/ehr/clinical/records.js';
import type { ClinicalPart } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * A clinical review's naming rules, for every record and every release: an allergy named by its
 * reactions' substances, a drug by its ingredients, one order given as several requests (intent),
 * a plan, and references to contained or reference-only resources. Read as the list shows them:
 * assemblePart → cellsFor → showCell (the tab) and cellText (the CSV).
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const BASE = 'https://ehr.example.org/fhir';

type Shown = 'allergies' | 'medications' | 'coverage';
function cellOf(part: ClinicalPart & Shown, resources: JsonObject[]) {
  const cells = assemblePart(part, { ok: true, set: { resources, included: [] } }, indexMedications([], new Map(), BASE), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  return cellsFor([part], clinical, undefined)[part];
}
/** The list cell in the tab, and in the CSV. */
function shown(part: ClinicalPart & Shown, resources: JsonObject[]): { tab: string; csv: string } {
  const cell = cellOf(part, resources);
  const display = showCell(part, cell);
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { [part]: cell } } as unknown as ListRow;
  return { tab: display.full ?? display.text, csv: cellText(part, row) };
}

const clinicalStatus = (release: Release) =>
  release === 'R4' ? { clinicalStatus: { coding: [{ code: 'active' }] } } : release === 'STU3' ? { clinicalStatus: 'active' } : { status: 'active' };
const criticality = (release: Release) => (release === 'DSTU2' ? 'CRITH' : 'high');

describe.each(releases)('%s allergy named only in its reactions', (release) => {
  const allergy = (reactions: JsonObject[]): JsonObject => ({
    resourceType: 'AllergyIntolerance',
    ...clinicalStatus(release),
    criticality: criticality(release),
    reaction: reactions,
  });
  const reaction = (substance?: string) => ({
    ...(substance ? { substance: { text: substance } } : {}),
    manifestation: [{ text: 'Hives' }],
  });

  it('is named from its reactions’ substances, each once, in the list, the CSV and the details', () => {
    const resources = [allergy([reaction('Penicillin V'), reaction('penicillin  v'), reaction('Amoxicillin')])];
    expect(shown('allergies', resources)).toEqual({
      tab: 'Penicillin V / Amoxicillin (high criticality)',
      csv: 'Penicillin V / Amoxicillin (high criticality)',
    });
    expect(readAllergies(resources)[0].substance).toBe('Penicillin V / Amoxicillin');
  });

  it('reads "Substance not stated" with neither a code nor a reaction substance, never "?"', () => {
    const resources = [allergy([reaction()])];
    expect(shown('allergies', resources)).toEqual({
      tab: 'Substance not stated (high criticality)',
      csv: 'Substance not stated (high criticality)',
    });
  });

  it('keeps the code’s words when there is one', () => {
    const coded = { ...allergy([reaction('Amoxicillin')]), [release === 'DSTU2' ? 'substance' : 'code']: { text: 'Penicillin' } };
    expect(shown('allergies', [coded]).tab).toBe('Penicillin (high criticality)');
  });
});

describe.each(['STU3', 'R4'] as const)('%s one order given as several requests', (release) => {
  const request = (id: string, intent: string, text: string, extra: JsonObject = {}): JsonObject => ({
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent,
    medicationCodeableConcept: { text },
    authoredOn: '2026-05-30T08:00:00Z',
    ...extra,
  });
  const basedOn = (id: string) => ({ basedOn: [{ reference: `MedicationRequest/${id}` }] });
  const order = request('o1', 'order', 'Vancomycin 1 g IV every 12 hours');
  const parts =
    release === 'R4'
      ? [
          request('f1', 'filler-order', 'Vancomycin 1,000 mg in sodium chloride 0.9% 250 mL', basedOn('o1')),
          request('i1', 'instance-order', 'Vancomycin 1 g IV (dose due 20:00)', basedOn('f1')),
        ]
      : [request('i1', 'instance-order', 'Vancomycin 1 g IV (dose due 20:00)', basedOn('o1'))];

  it('names the drug once, by the order the others are based on, whatever the order of the answer', () => {
    expect(shown('medications', [...parts, order]).tab).toBe('Vancomycin 1 g IV every 12 hours');
    expect(shown('medications', [order, ...parts]).csv).toBe('Vancomycin 1 g IV every 12 hours');
  });

  it('shows the others in the details under that order, not as current therapy', () => {
    const views = readMedications([...parts, order], new Map());
    expect(views[0]).toMatchObject({ name: 'Vancomycin 1 g IV every 12 hours', current: true });
    for (const part of views.slice(1)) {
      expect(part).toMatchObject({ current: false, partOf: 'Vancomycin 1 g IV every 12 hours' });
      expect(medicationGroup(part)).toBe('part-of-order');
    }
  });

  it('finds the order by its URL on the EHR’s base, with or without a version; a URL on another server names another order', () => {
    const base = 'https://fhir.example.org/r4';
    const on = (url: string) => ({ basedOn: [{ reference: url }] });
    const dose = request('i1', 'instance-order', 'Vancomycin 1 g IV (dose due 20:00)', on(`${base}/MedicationRequest/o1/_history/2`));
    const views = readMedications([order, dose], new Map(), Date.now(), base);
    expect(views[1]).toMatchObject({ current: false, partOf: 'Vancomycin 1 g IV every 12 hours' });
    const elsewhere = request('i1', 'instance-order', 'Vancomycin 1 g IV (dose due 20:00)', on('https://other.example.org/r4/MedicationRequest/o1'));
    expect(readMedications([order, elsewhere], new Map(), Date.now(), base).every((v) => v.current)).toBe(true);
  });

  it('keeps a request on its own when what it is based on is not current or not in the answer', () => {
    const stopped = { ...order, status: 'stopped' };
    // The first request based on the stopped order stands on its own (R4: the filler-order, with its dose under it).
    expect(shown('medications', [stopped, ...parts]).tab).toBe((parts[0].medicationCodeableConcept as JsonObject).text);
    expect(shown('medications', parts.slice(-1)).tab).toBe('Vancomycin 1 g IV (dose due 20:00)');
  });

  it('marks a plan, an intention without authorization, in the list, the CSV and the details', () => {
    const plan = request('p1', 'plan', 'Enoxaparin 40 mg SC daily');
    expect(shown('medications', [plan])).toEqual({ tab: 'Enoxaparin 40 mg SC daily (plan)', csv: 'Enoxaparin 40 mg SC daily (plan)' });
    const [view] = readMedications([plan], new Map());
    expect(medicationGroup(view)).toBe('plan');
  });

  it('shows an order that carries out a current plan once, as the order', () => {
    const plan = request('p1', 'plan', 'Enoxaparin 40 mg SC daily');
    const carried = request('o2', 'order', 'Enoxaparin 40 mg SC once daily', basedOn('p1'));
    expect(shown('medications', [plan, carried]).tab).toBe('Enoxaparin 40 mg SC once daily');
  });
});

describe('DSTU2 MedicationOrder has no intent', () => {
  it('reads every active order as given', () => {
    const order = (text: string) => ({ resourceType: 'MedicationOrder', status: 'active', medicationCodeableConcept: { text } });
    expect(shown('medications', [order('Vancomycin 1 g IV'), order('Enoxaparin 40 mg SC')]).tab).toBe('Vancomycin 1 g IV, Enoxaparin 40 mg SC');
  });
});

describe.each(releases)('%s drug named by its ingredients', (release) => {
  const type = release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest';
  const mixture = (ingredients: JsonObject[]): JsonObject =>
    release === 'DSTU2'
      ? { resourceType: 'Medication', id: 'mix', product: { ingredient: ingredients } }
      : { resourceType: 'Medication', id: 'mix', ingredient: ingredients };
  const item = (text: string) => (release === 'DSTU2' ? { item: { display: text } } : { itemCodeableConcept: { text } });
  const order = (medication: JsonObject): JsonObject => ({
    resourceType: type,
    status: 'active',
    ...(release === 'DSTU2' ? {} : { intent: 'order' }),
    contained: [medication],
    medicationReference: { reference: '#mix' },
  });

  it('joins the ingredients with " + " when the Medication has no code', () => {
    const medication = mixture([item('Potassium chloride 40 mmol'), item('Sodium chloride 0.9% 1000 mL')]);
    expect(shown('medications', [order(medication)])).toEqual({
      tab: 'Potassium chloride 40 mmol + Sodium chloride 0.9% 1000 mL',
      csv: 'Potassium chloride 40 mmol + Sodium chloride 0.9% 1000 mL',
    });
  });

  it('names an ingredient given by reference by its display, or by the contained resource it points to', () => {
    const itemRef = release === 'DSTU2' ? 'item' : 'itemReference';
    const medication = mixture([{ [itemRef]: { reference: 'Substance/kcl', display: 'Potassium chloride' } }, { [itemRef]: { reference: '#nacl' } }]);
    const nacl =
      release === 'DSTU2'
        ? { resourceType: 'Substance', id: 'nacl', code: { text: 'Sodium chloride 0.9%' } }
        : { resourceType: 'Substance', id: 'nacl', code: { text: 'Sodium chloride 0.9%' } };
    const r = order(medication);
    r.contained = [medication, nacl];
    expect(shown('medications', [r]).tab).toBe('Potassium chloride + Sodium chloride 0.9%');
  });
});

describe.each(releases)('%s references to contained or reference-only resources', (release) => {
  const field = release === 'DSTU2' ? 'careProvider' : 'generalPractitioner';
  const patient = (contained: JsonObject[], reference: string) => ({
    resourceType: 'Patient',
    id: 'p1',
    contained,
    [field]: [{ reference }],
  });
  const practitioner =
    release === 'DSTU2'
      ? { resourceType: 'Practitioner', id: 'gp', name: { prefix: ['Dr.'], given: ['Ada'], family: ['Adams'] } }
      : { resourceType: 'Practitioner', id: 'gp', name: [{ prefix: ['Dr.'], given: ['Ada'], family: 'Adams' }] };

  it('names the care provider from the patient’s contained Practitioner or Organization', () => {
    const gp = adapters[release].readPatient(patient([practitioner], '#gp'));
    expect(gp?.summary.generalPractitioner).toBe('Dr. Ada Adams');
    const org = adapters[release].readPatient(patient([{ resourceType: 'Organization', id: 'o', name: 'Riverside Practice' }], '#o'));
    expect(org?.summary.generalPractitioner).toBe('Riverside Practice');
    // A `#id` that names nothing contained is no name.
    expect(adapters[release].readPatient(patient([], '#gp'))?.summary.generalPractitioner).toBeNull();
  });

  const coverage = (payor: JsonObject, contained: JsonObject[] = []): JsonObject =>
    release === 'DSTU2'
      ? { resourceType: 'Coverage', contained, issuer: payor, plan: 'GOLD-1' }
      : release === 'STU3'
        ? { resourceType: 'Coverage', contained, payor: [payor], grouping: { plan: 'GOLD-1' } }
        : { resourceType: 'Coverage', contained, payor: [payor], class: [{ type: { coding: [{ code: 'plan' }] }, value: 'GOLD-1' }] };

  it('names a payer from a contained Organization', () => {
    const contained = [{ resourceType: 'Organization', id: 'acme', name: 'Acme Insurance' }];
    expect(readCoverage([coverage({ reference: '#acme' }, contained)])[0].payer).toBe('Acme Insurance');
  });

  it('asks for a reference-only payer Organization, and names it from what was read', () => {
    const resources = [coverage({ reference: 'Organization/acme' })];
    expect(unnamedPayors(resources)).toEqual(['Organization/acme']);
    const [view] = readCoverage(resources, Date.now(), new Map([['Organization/acme', 'Acme Insurance']]));
    expect(view.payer).toBe('Acme Insurance');
    // Named already: nothing to ask.
    expect(unnamedPayors([coverage({ reference: 'Organization/acme', display: 'Acme' })])).toEqual([]);
  });
});
