import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications, unresolvedMedications } from '../../../server/ehr/clinical/medications.js';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import type { ClinicalPart } from '../../../server/ehr/clinical/types.js';
import { conceptText } from '../../../server/ehr/clinical/values.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * The rules a clinical review asked for, each for every record and every FHIR release, read the way
 * the list shows them: assemblePart (the EHR client) → cellsFor (the list's cells) → showCell (the tab).
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const SCT = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const BASE = 'https://ehr.example.org/fhir';
const NOW = Date.parse('2026-06-01T12:00:00Z');

const status = (release: Release, code: string, system: string) => (release === 'R4' ? { coding: [{ system, code }] } : code);

/** What the list cell of a part shows for these resources (and included Medications). */
function shown(part: ClinicalPart & ('conditions' | 'allergies' | 'medications'), resources: JsonObject[], included: JsonObject[] = []): string {
  const warnings = new Warnings();
  const cells = assemblePart(part, { ok: true, set: { resources, included } }, indexMedications(included, new Map(), BASE), warnings);
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor([part], clinical, undefined)[part];
  const display = showCell(part, cell);
  return display.full ?? display.text;
}

function allergy(release: Release, concept: JsonObject, options: { clinical?: string; category?: string; criticality?: string } = {}): JsonObject {
  const clinical = options.clinical ?? 'active';
  return {
    resourceType: 'AllergyIntolerance',
    [release === 'DSTU2' ? 'substance' : 'code']: concept,
    ...(release === 'DSTU2'
      ? { status: clinical }
      : { clinicalStatus: status(release, clinical, 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical') }),
    // DSTU2 one code, STU3 and R4 a list.
    ...(options.category ? { category: release === 'DSTU2' ? options.category : [options.category] } : {}),
    ...(options.criticality ? { criticality: options.criticality } : {}),
  };
}

const nkda = { coding: [{ system: SCT, code: '409137002', display: 'No known drug allergy' }] };
const penicillin = { coding: [{ system: RXNORM, code: '7980', display: 'Penicillin G' }] };

describe.each(releases)('no known allergy of a kind, contradicted (%s)', (release) => {
  const drugCategory = 'medication';

  it('leaves "No known drug allergy" out of cell and details beside a current drug allergy, and counts it', () => {
    const resources = [
      allergy(release, penicillin, { category: drugCategory }),
      allergy(release, { text: 'Amoxicillin' }, { category: drugCategory }),
      allergy(release, nkda),
    ];
    expect(shown('allergies', resources)).toBe('Penicillin G, Amoxicillin');
    const warnings = new Warnings();
    const details = readAllergies(resources, warnings);
    expect(details.map((a) => a.substance)).toEqual(['Penicillin G', 'Amoxicillin']);
    expect(warnings.list()).toEqual([{ code: 'allergy_none_known_contradicted', count: 1 }]);
  });

  it('keeps a statement of one kind beside an allergy of another kind: food allergy and no known drug allergy', () => {
    const resources = [allergy(release, { text: 'Peanut' }, { category: 'food' }), allergy(release, nkda)];
    expect(shown('allergies', resources)).toBe('Peanut, No known drug allergy');
  });

  it.each([
    ['429625007', 'No known food allergy', 'food'],
    ['428607008', 'No known environmental allergy', 'environment'],
  ])('leaves SNOMED CT %s (%s) out beside a current %s allergy', (code, words, category) => {
    const statement = allergy(release, { coding: [{ system: SCT, code }] });
    expect(shown('allergies', [allergy(release, { text: 'Something' }, { category }), statement])).toBe('Something');
    // Another kind does not contradict it.
    const other = category === 'food' ? 'environment' : 'food';
    expect(shown('allergies', [allergy(release, { text: 'Other' }, { category: other }), statement])).toBe(`Other, ${words}`);
  });

  it('reads the International Patient Summary kinds alike', () => {
    const ips = allergy(release, {
      coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code: 'no-known-food-allergies' }],
    });
    expect(shown('allergies', [allergy(release, { text: 'Egg' }, { category: 'food' }), ips])).toBe('Egg');
  });

  it('takes an allergy without a category as one of any kind (the safe side): it contradicts every kind', () => {
    expect(shown('allergies', [allergy(release, { text: 'Penicillin' }), allergy(release, nkda)])).toBe('Penicillin');
  });

  it('reads "No known latex allergy" as contradicted by a latex allergy only (by its substance), or one without a category', () => {
    const nkla = allergy(release, { coding: [{ system: SCT, code: '716184000' }] });
    expect(shown('allergies', [allergy(release, { text: 'Natural rubber latex' }, { category: 'environment' }), nkla])).toBe('Natural rubber latex');
    expect(shown('allergies', [allergy(release, { text: 'Birch pollen' }, { category: 'environment' }), nkla])).toBe(
      'Birch pollen, No known latex allergy',
    );
  });

  it('lets only a current allergy contradict, and leaves a statement that is itself history alone', () => {
    const resolved = allergy(release, penicillin, { category: drugCategory, clinical: 'resolved' });
    expect(shown('allergies', [resolved, allergy(release, nkda)])).toBe('No known drug allergy');
    expect(readAllergies([resolved, allergy(release, nkda)])).toHaveLength(2);
  });

  it('reads a coding whose system or code is a name of JavaScript objects as any other code, without failing', () => {
    const odd = allergy(release, { coding: [{ system: '__proto__', code: 'toString' }] });
    expect(readAllergies([odd])[0]).toMatchObject({ substance: 'code toString', noneKnown: false });
  });

  it('leaves "No known allergy" of any kind out of the details too beside a current allergy', () => {
    const nka = allergy(release, { coding: [{ system: SCT, code: '716186003' }], text: 'NKA' });
    const views = readAllergies([nka, allergy(release, { text: 'Latex' }, { category: 'environment' })]);
    expect(views.map((a) => a.substance)).toEqual(['Latex']);
  });
});

describe.each(releases)('medications referenced by absolute URL (%s)', (release) => {
  const type = release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest';
  const order = (reference: string, extra: JsonObject = {}): JsonObject => ({
    resourceType: type,
    status: 'active',
    medicationReference: { reference },
    ...extra,
  });
  const medication = (id: string, display: string): JsonObject => ({
    resourceType: 'Medication',
    id,
    code: { coding: [{ system: RXNORM, code: id.length.toString(), display }] },
  });

  it('names a drug behind an absolute reference on the EHR base (versioned too) from the included Medication', () => {
    const included = [medication('m1', 'Metformin 500 mg tablet')];
    expect(shown('medications', [order(`${BASE}/Medication/m1`)], included)).toBe('Metformin 500 mg tablet');
    expect(shown('medications', [order(`${BASE}/Medication/m1/_history/3`)], included)).toBe('Metformin 500 mg tablet');
    // The base written with a trailing slash or a differently cased host is the same base.
    const views = readMedications([order('https://EHR.example.org/fhir/Medication/m1')], indexMedications(included, new Map(), `${BASE}/`));
    expect(views[0].name).toBe('Metformin 500 mg tablet');
    expect(views[0].code).toBe(`${RXNORM}|2`);
  });

  it('never takes a Medication of the same id on another server or path for it, nor reads one there', () => {
    const included = [medication('m1', 'Metformin 500 mg tablet')];
    const index = indexMedications(included, new Map(), BASE);
    for (const elsewhere of ['https://other.example.org/fhir/Medication/m1', 'https://ehr.example.org/other/Medication/m1']) {
      expect(readMedications([order(elsewhere)], index)[0].name).toBeNull();
      expect(unresolvedMedications([order(elsewhere)], new Map(), BASE)).toEqual([]);
    }
  });

  it('reads an absolute reference on the base that was not included as its local reference, and names it from that read', () => {
    const resources = [order(`${BASE}/Medication/m2`)];
    expect(unresolvedMedications(resources, indexMedications([], new Map(), BASE), BASE)).toEqual(['Medication/m2']);
    const read = indexMedications([medication('m2', 'Lisinopril 10 mg')], new Map(), BASE);
    expect(readMedications(resources, read)[0].name).toBe('Lisinopril 10 mg');
  });

  it('names a drug behind a contained reference', () => {
    const contained = order('#med', { contained: [{ ...medication('med', 'Atorvastatin 20 mg') }] });
    expect(shown('medications', [contained])).toBe('Atorvastatin 20 mg');
  });
});

describe.each(releases)('a code without words (%s)', (release) => {
  it('shows a drug, a problem and an allergy coded without display or text by their code and code system, never "?"', () => {
    const medicationOrder = {
      resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
      status: 'active',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '855332' }] },
    };
    expect(shown('medications', [medicationOrder])).toBe('RxNorm 855332');
    const condition = {
      resourceType: 'Condition',
      clinicalStatus: status(release, 'active', 'http://terminology.hl7.org/CodeSystem/condition-clinical'),
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
    };
    expect(shown('conditions', [condition])).toBe('ICD-10-CM E11.9');
    expect(shown('allergies', [allergy(release, { coding: [{ system: RXNORM, code: '7980' }] })])).toBe('RxNorm 7980');
  });

  it('keeps the words of a no-known-allergy statement coded without display, and a severity code as its word', () => {
    expect(shown('allergies', [allergy(release, { coding: [{ system: SCT, code: '409137002' }] })])).toBe('No known drug allergy');
    const [condition] = readConditions([
      { resourceType: 'Condition', code: { text: 'Asthma' }, severity: { coding: [{ system: SCT, code: '24484000' }] } },
    ]);
    expect(condition.severity).toBe('severe');
  });
});

describe('conceptText', () => {
  it('reads a code without words with its code system named, a named system before a local one, "code X" else', () => {
    expect(conceptText({ coding: [{ system: SCT, code: '123' }] })).toBe('SNOMED CT 123');
    expect(conceptText({ coding: [{ system: 'urn:oid:2.16.840.1.113883.6.88', code: '855332' }] })).toBe('RxNorm 855332');
    expect(
      conceptText({
        coding: [
          { system: 'http://example.org/local', code: 'L1' },
          { system: RXNORM, code: '5224' },
        ],
      }),
    ).toBe('RxNorm 5224');
    expect(conceptText({ coding: [{ system: 'http://example.org/local', code: 'L1' }] })).toBe('code L1');
    expect(conceptText({ coding: [{ system: '__proto__', code: 'L1' }] })).toBe('code L1');
    expect(conceptText({ coding: [{ system: SCT }] })).toBeNull();
  });

  it('prefers text, then a display, and gives words only when asked', () => {
    expect(conceptText({ text: 'Asthma', coding: [{ system: SCT, code: '195967001', display: 'Asthma (disorder)' }] })).toBe('Asthma');
    expect(
      conceptText({
        coding: [
          { system: SCT, code: '1' },
          { system: SCT, code: '2', display: 'Two' },
        ],
      }),
    ).toBe('Two');
    expect(conceptText({ coding: [{ system: SCT, code: '123' }] }, false)).toBeNull();
  });
});

describe.each(releases)('each item once by what the clinician reads (%s)', (release) => {
  const type = release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest';
  const heparin = (text: string): JsonObject => ({
    resourceType: type,
    status: 'active',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '5224', display: 'heparin' }], text },
  });

  it('shows two orders that share a first code but read differently as two', () => {
    const both = [heparin('Heparin 5000 units SC q8h'), heparin('Heparin infusion 18 units/kg/h')];
    expect(shown('medications', both)).toBe('Heparin 5000 units SC q8h, Heparin infusion 18 units/kg/h');
    // The same words twice (case and spaces aside) are one drug named once, and two orders of it counted.
    expect(shown('medications', [heparin('Heparin 5000 units SC q8h'), heparin('heparin  5000 units sc q8h ')])).toBe('Heparin 5000 units SC q8h ×2');
  });

  it('shows two problems of the same code but other words as two, and lets a confirmed one outweigh its unconfirmed twin', () => {
    const problem = (text: string, verification?: string): JsonObject => ({
      resourceType: 'Condition',
      clinicalStatus: status(release, 'active', 'http://terminology.hl7.org/CodeSystem/condition-clinical'),
      code: { coding: [{ system: SCT, code: '44054006' }], text },
      ...(verification ? { verificationStatus: status(release, verification, 'http://terminology.hl7.org/CodeSystem/condition-ver-status') } : {}),
    });
    expect(shown('conditions', [problem('Type 2 diabetes, diet controlled'), problem('Type 2 diabetes on insulin')])).toBe(
      'Type 2 diabetes, diet controlled, Type 2 diabetes on insulin',
    );
    expect(shown('conditions', [problem('Asthma', 'provisional'), problem('asthma', 'confirmed')])).toBe('asthma');
  });
});

describe.each(releases)('condition abatement (%s)', (release) => {
  const abatements: Record<Release, [string, unknown][]> = {
    // DSTU2 abatement[x]: dateTime, Quantity (Age), boolean, Period, Range, string.
    DSTU2: [
      ['abatementDateTime', '2019-01-01'],
      ['abatementQuantity', { value: 40, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' }],
      ['abatementBoolean', true],
      ['abatementPeriod', { start: '2018-01-01', end: '2019-01-01' }],
      ['abatementRange', { low: { value: 30 }, high: { value: 40 } }],
      ['abatementString', 'in childhood'],
    ],
    // STU3: dateTime, Age, boolean, Period, Range, string.
    STU3: [
      ['abatementDateTime', '2019-01-01'],
      ['abatementAge', { value: 40, unit: 'a' }],
      ['abatementBoolean', true],
      ['abatementPeriod', { start: '2018-01-01' }],
      ['abatementRange', { low: { value: 30 } }],
      ['abatementString', 'in childhood'],
    ],
    // R4: dateTime, Age, Period, Range, string.
    R4: [
      ['abatementDateTime', '2019-01-01'],
      ['abatementAge', { value: 40, unit: 'a' }],
      ['abatementPeriod', { start: '2018-01-01' }],
      ['abatementRange', { low: { value: 30 } }],
      ['abatementString', 'in childhood'],
    ],
  };
  it.each(abatements[release])('reads a condition with %s as history, whatever its clinical status', (key, value) => {
    const condition = {
      resourceType: 'Condition',
      clinicalStatus: status(release, 'active', 'http://terminology.hl7.org/CodeSystem/condition-clinical'),
      code: { text: 'Asthma' },
      [key]: value,
    };
    expect(readConditions([condition])[0].current).toBe(false);
    expect(shown('conditions', [condition])).toBe('None recorded');
  });

  it('reads abatementBoolean false as not abated', () => {
    const condition = { resourceType: 'Condition', clinicalStatus: 'active', code: { text: 'Asthma' }, abatementBoolean: false };
    expect(readConditions([condition])[0].current).toBe(true);
  });
});

describe.each(releases)('ended orders and statements (%s)', (release) => {
  const statement = (period: JsonObject, statementStatus = 'active'): JsonObject => ({
    resourceType: 'MedicationStatement',
    status: statementStatus,
    medicationCodeableConcept: { text: 'Omeprazole 20 mg' },
    effectivePeriod: period,
  });

  it('reads a statement whose effectivePeriod has ended as not current, under "ended" in the details', () => {
    const [view] = readMedications([statement({ start: '2017-01-01', end: '2018-06-30' })], new Map(), NOW);
    expect(view).toMatchObject({ current: false, status: 'ended' });
    expect(shown('medications', [statement({ start: '2017-01-01', end: '2018-06-30' })])).toBe('None recorded');
    // An end still to come, or the end's own day, keeps it current.
    expect(readMedications([statement({ end: '2026-12-31' })], new Map(), NOW)[0]).toMatchObject({ current: true, status: 'active' });
    expect(readMedications([statement({ end: '2026-06-01' })], new Map(), NOW)[0]).toMatchObject({ current: true });
    // A statement already history keeps its own status.
    expect(readMedications([statement({ end: '2018-06-30' }, 'completed')], new Map(), NOW)[0]).toMatchObject({ status: 'completed' });
  });

  it('places ended records after the current ones and before the completed ones', () => {
    const views = readMedications(
      [statement({ end: '2018-06-30' }), statement({}, 'completed'), statement({}, 'active'), statement({}, 'intended')],
      new Map(),
      NOW,
    );
    expect(views.map((v) => v.status)).toEqual(['active', 'intended', 'ended', 'completed']);
  });

  if (release === 'DSTU2')
    it('reads a MedicationOrder with a past dateEnded as not current, whatever its status', () => {
      const order = { resourceType: 'MedicationOrder', status: 'active', dateEnded: '2019-02-01', medicationCodeableConcept: { text: 'Warfarin' } };
      expect(readMedications([order], new Map(), NOW)[0]).toMatchObject({ current: false, status: 'ended' });
      expect(shown('medications', [order])).toBe('None recorded');
      expect(readMedications([{ ...order, dateEnded: '2027-01-01' }], new Map(), NOW)[0]).toMatchObject({ current: true, status: 'active' });
      // A date alone is the last day in every zone: at 20:00 in New York on that day (01:00 UTC the
      // next) the drug is still given there; it is over once that day is over everywhere.
      const lastDay = { ...order, dateEnded: '2026-12-05' };
      expect(readMedications([lastDay], new Map(), Date.parse('2026-12-06T01:00:00Z'))[0]).toMatchObject({ current: true, status: 'active' });
      expect(readMedications([lastDay], new Map(), Date.parse('2026-12-06T14:00:00Z'))[0]).toMatchObject({ current: false, status: 'ended' });
    });
  else
    it('does not take a MedicationRequest validityPeriod for the end of the order', () => {
      const request = {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: 'Warfarin' },
        dispenseRequest: { validityPeriod: { start: '2018-01-01', end: '2018-02-01' } },
      };
      expect(readMedications([request], new Map(), NOW)[0]).toMatchObject({ current: true, status: 'active' });
    });
});

describe('allergy criticality in the list', () => {
  it('shows high criticality in words and puts such allergies first, where "+N more" cannot hide them', () => {
    for (const [release, high] of [
      ['DSTU2', 'CRITH'],
      ['STU3', 'high'],
      ['R4', 'high'],
    ] as const) {
      const resources = [
        allergy(release, { text: 'Codeine' }, { criticality: release === 'DSTU2' ? 'CRITL' : 'low' }),
        allergy(release, { text: 'Latex' }),
        allergy(release, { text: 'Penicillin' }, { criticality: high }),
      ];
      expect(shown('allergies', resources)).toBe('Penicillin (high criticality), Codeine, Latex');
    }
  });
});
