import { describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway, type PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor, partsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListColumn } from '../../../contract/columns.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { csvRowOf, serveClinical, type ClinicalServerOptions } from './clinical-server.js';
import { vitalObservation } from './vital-observations.js';
import { adapterFor } from '../../../server/ehr/adapters/index.js';

/**
 * FHIR codes the app decides on (statuses, uses, link types, criticality: required bindings, most
 * of them modifiers) as EHRs also send them, in other case or as words: "Entered in Error",
 * "Preliminary", "In Progress", "Active", "Old", "Replaced by", "High", "Severe". They were compared
 * as exact codes: a heart rate recorded in error stood as the latest (and was flagged) over the valid
 * one before it; a preliminary result read as final; an encounter recorded in error or cancelled gave
 * the row its place and admission date; an old name or number was shown as the patient's; a replaced
 * record read as the one to use; a cancelled coverage as in force; a refuted or inactive DSTU2 allergy
 * as current; a high-criticality allergy lost its mark. They are read by their words now, as
 * medication and condition statuses already were (record-status.ts); a status that still cannot be
 * read (an EHR's own code) leaves the value shown but marked "check in EHR", and never makes an
 * encounter the stay.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const HOUR = 3_600_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const UCUM = 'http://unitsofmeasure.org';

const ehr = useFakeEhr();
const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

/** Patient p1 alone, in the release's shape. */
const patientOnly = (release: Release) =>
  writeRecord({ ...sampleRecord('p1'), vitals: [], encounters: [], conditions: [], allergies: [], medications: [], coverage: [] }, release);

const heartRate = (release: Release, id: string, value: number, at: number, status?: unknown) => ({
  ...vitalObservation(release, '8867-4', iso(at), { valueQuantity: { value, unit: '/min', system: UCUM, code: '/min' } }),
  id,
  ...(status === undefined ? {} : { status }),
});

/** The list row's cells of p1 for `columns`, and the details' clinical parts, from one store. */
async function read(release: Release, resources: Record<string, unknown>[], columns: ListColumn[], options: Partial<ClinicalServerOptions> = {}) {
  serveClinical(ehr, [...patientOnly(release), ...resources], { release, ...options });
  const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], partsFor(columns), () => {});
  const cells = cellsFor(columns, rows.get('p1') as PatientClinical, undefined);
  const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
  return { cells, csv: (column: ListColumn) => cellText(column, csvRowOf(cells)), details: details! };
}

describe.each(RELEASES)('an Observation status written in words (%s)', (release) => {
  it.each(['Entered in Error', 'ENTERED-IN-ERROR', 'entered in error', 'Cancelled'])(
    'a newer heart rate with status "%s" never hides the older valid one, in the list, the CSV and the details',
    async (status) => {
      const { cells, csv, details } = await read(
        release,
        [heartRate(release, 'wrong', 180, now - HOUR, status), heartRate(release, 'right', 64, now - 3 * HOUR)],
        ['heartRate'],
      );
      expect(cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: 64 } } });
      expect(csv('heartRate')).toMatch(/^64 \/min \(/);
      expect(details.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 64 } } } });
      // Nor is the reading in error in the trend.
      expect(details.vitalHistory).toMatchObject({ status: 'ok', value: { heartRate: [{ value: { value: 64 } }] } });
    },
  );

  it('a heart rate with status "Preliminary" reads preliminary, never as a final result', async () => {
    const { cells, csv } = await read(release, [heartRate(release, 'p', 128, now - HOUR, 'Preliminary')], ['heartRate']);
    expect(cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: 128 }, preliminary: true } });
    expect(csv('heartRate')).toMatch(/^128 \/min \(preliminary\)/);
  });

  it('a blood pressure whose halves say "Preliminary" reads preliminary', async () => {
    const half = (code: string, value: number) => ({
      ...vitalObservation(release, code, iso(now - HOUR), { valueQuantity: { value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } }),
      id: code,
      status: 'Preliminary',
    });
    const { cells } = await read(release, [half('8480-6', 90), half('8462-4', 50)], ['bloodPressure']);
    expect(cells.bloodPressure).toMatchObject({ status: 'ok', value: { systolic: { value: 90 }, diastolic: { value: 50 }, preliminary: true } });
  });

  it('a status the app cannot read (an EHR’s own code) keeps the reading, marked "check in EHR"', async () => {
    const { cells, details } = await read(release, [heartRate(release, 'own', 72, now - HOUR, 'VERIFIED-2')], ['heartRate']);
    expect(cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: 72 }, qualified: true } });
    expect(details.vitals).toMatchObject({ status: 'ok', value: { heartRate: { qualified: true } } });
  });
});

describe.each(RELEASES)('an Encounter status written in words (%s)', (release) => {
  const who = release === 'DSTU2' ? { patient: { reference: 'Patient/p1' } } : { subject: { reference: 'Patient/p1' } };
  const klass = (code: 'IMP' | 'AMB') =>
    release === 'DSTU2'
      ? code === 'IMP'
        ? 'inpatient'
        : 'outpatient'
      : { system: release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/v3-ActCode' : 'http://hl7.org/fhir/v3/ActCode', code };
  const encounter = (id: string, status: string, code: 'IMP' | 'AMB', start: number, place: string, end?: number) => ({
    resourceType: 'Encounter',
    id,
    status,
    class: klass(code),
    ...who,
    period: { start: iso(start), ...(end === undefined ? {} : { end: iso(end) }) },
    location: [{ location: { display: place } }],
  });
  // A stay that ended last month: the patient is not in hospital.
  const lastMonth = encounter('old', 'finished', 'IMP', now - 30 * 24 * HOUR, 'Ward 9', now - 25 * 24 * HOUR);

  it.each(['Entered in Error', 'Cancelled', 'PLANNED'])(
    'the newest encounter with status "%s" gives the row no place and no admission date',
    async (status) => {
      const { cells, csv } = await read(
        release,
        [encounter('wrong', status, 'IMP', now - 5 * HOUR, 'ICU, Bed 1'), lastMonth],
        ['location', 'admissionDate'],
      );
      expect(csv('location')).not.toContain('ICU');
      expect(cells.admissionDate).toEqual({ status: 'none' });
    },
  );

  it('an admission whose status reads "In Progress" is where the patient is, behind a finished clinic visit', async () => {
    const admitted = now - 48 * HOUR;
    const { cells, csv } = await read(
      release,
      [
        encounter('visit', 'finished', 'AMB', now - 3 * HOUR, 'Dialysis Unit', now - 2 * HOUR),
        encounter('stay', 'In Progress', 'IMP', admitted, 'Ward 5, Room 12'),
      ],
      ['location', 'admissionDate'],
    );
    expect(csv('location')).toBe('Ward 5, Room 12');
    expect(cells.admissionDate).toMatchObject({ status: 'ok', value: { text: iso(admitted) } });
  });

  it('a place whose status reads "Active" is where the patient is', async () => {
    const stay = {
      ...encounter('stay', 'in-progress', 'IMP', now - 48 * HOUR, 'Ward 5'),
      location: [{ location: { display: 'Ward 5, Room 12' }, status: 'Active' }],
    };
    const { csv, details } = await read(release, [stay], ['location', 'admissionDate']);
    expect(csv('location')).toBe('Ward 5, Room 12');
    expect(details.encounter).toMatchObject({ status: 'ok', value: { location: 'Ward 5, Room 12' } });
  });

  it('an encounter whose status cannot be read is never the stay, and the details mark it "check in EHR"', async () => {
    const { cells, details } = await read(
      release,
      [encounter('own', 'ADM-7', 'IMP', now - 5 * HOUR, 'ICU, Bed 1'), lastMonth],
      ['location', 'admissionDate'],
    );
    expect(cells.admissionDate).toEqual({ status: 'none' });
    expect(details.encounters).toMatchObject({ status: 'ok', value: [{ id: 'own', status: null, qualified: true }, { id: 'old' }] });
  });
});

/**
 * HumanName.use and Identifier.use are modifiers too ("applications should not mistake a temporary
 * or old name etc. for a current/permanent one"): written "Old" or "TEMP" they read as no use, and
 * an old name or number listed first was shown as the patient's (list, search, details, export).
 */
describe.each(RELEASES)('a name or identifier use written in words (%s)', (release) => {
  const adapter = adapterFor(release);
  const family = (text: string) => (release === 'DSTU2' ? [text] : text);
  const summary = (patient: Record<string, unknown>) => adapter.toPatientSummary({ resourceType: 'Patient', id: 'p1', ...patient }, { now });
  const MR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };

  it.each(['Old', 'OLD', 'Maiden'])('a name whose use is "%s", listed first, is not the patient’s name', (use) => {
    const names = [
      { use, family: family('Smith'), given: ['Ann'] },
      { family: family('Jones'), given: ['Ann'] },
    ];
    expect(summary({ name: names })).toMatchObject({ displayName: 'Ann Jones', sortName: 'Jones, Ann' });
  });

  it('an "Official" name reads before a "Temp" one listed first', () => {
    const names = [
      { use: 'Temp', family: family('Baby Girl'), given: ['Unknown'] },
      { use: 'Official', family: family('Okafor'), given: ['Ada'] },
    ];
    expect(summary({ name: names })?.displayName).toBe('Ada Okafor');
  });

  it.each([
    ['Old', 'MRN-OLD'],
    ['TEMP', 'MRN-TEMP'],
    ['Secondary', 'MRN-SEC'],
  ])('an MR number whose use is "%s", listed first, is not the MRN', (use, value) => {
    const identifier = [
      { use, type: MR, value },
      { type: MR, value: 'MRN-12345' },
    ];
    expect(summary({ identifier })?.mrn).toBe('MRN-12345');
  });

  // Patient.link is a modifier: a record "Replaced by" another must never read as the one to use.
  it.each([
    ['Replaced by', 'replaced'],
    ['REPLACED-BY', 'replaced'],
    ['Replace', 'replaced'],
    ['Refer', 'refer'],
  ])('a link of type "%s" says the record is %s', (type, kind) => {
    const link = [{ type, other: { reference: 'Patient/p2', display: 'Ann Jones' } }];
    expect(summary({ link })?.recordNotice).toEqual({ kind, replacedById: 'p2', replacedByName: 'Ann Jones' });
  });
});

describe.each(RELEASES)('an allergy List whose status is written in words (%s)', (release) => {
  const allergyList = (status: string) => ({
    resourceType: 'List',
    id: 'allergies',
    status,
    mode: 'snapshot',
    code: { coding: [{ system: 'http://loinc.org', code: '52473-6' }] },
    subject: { reference: 'Patient/p1' },
    date: '2025-06-01',
    emptyReason: { coding: [{ code: 'nilknown' }] },
  });
  const options = { resources: ['Patient', 'AllergyIntolerance', 'List'] };

  it('a "Current" list of no known allergies reads "No known allergies"', async () => {
    const { csv, details } = await read(release, [allergyList('Current')], ['allergies'], options);
    expect(csv('allergies')).toBe('No known allergies');
    expect(details.allergies).toMatchObject({ status: 'ok', value: [{ noneKnown: true }] });
  });

  it('a "Retired" or "Entered in Error" list states nothing', async () => {
    for (const status of ['Retired', 'Entered in Error']) {
      ehr.reset();
      const { csv } = await read(release, [allergyList(status)], ['allergies'], options);
      expect(csv('allergies'), status).toBe('None recorded');
    }
  });
});

/**
 * AllergyIntolerance.criticality and reaction.severity written in words ("High", "Severe") were kept
 * as sent: the list lost its "high criticality" and "severe reaction" marks, and an allergy that may
 * be life-threatening no longer sorted first, so it could sit behind "+N more".
 */
describe.each(RELEASES)('allergy criticality and reaction severity written in words (%s)', (release) => {
  const allergy = (id: string, substance: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'AllergyIntolerance',
    id,
    patient: { reference: 'Patient/p1' },
    [release === 'DSTU2' ? 'substance' : 'code']: { text: substance },
    ...extra,
  });

  it.each(['High', 'HIGH', ...(release === 'DSTU2' ? ['crith'] : [])])(
    'an allergy of criticality "%s", listed last, reads first and "high criticality"',
    async (criticality) => {
      const others = ['Latex', 'Dust mites', 'Cats', 'Pollen', 'Sulfa'].map((name, i) => allergy(`a${i}`, name));
      const { cells, csv, details } = await read(release, [...others, allergy('peanut', 'Peanut', { criticality })], ['allergies']);
      const items = cells.allergies.status === 'ok' ? (cells.allergies.value as unknown[]) : [];
      expect(items[0]).toEqual({ substance: 'Peanut', criticality: 'high' });
      expect(csv('allergies')).toMatch(/^Peanut \(high criticality\); /);
      expect(details.allergies).toMatchObject({ status: 'ok', value: expect.arrayContaining([expect.objectContaining({ criticality: 'high' })]) });
    },
  );

  // DSTU2 AllergyIntolerance.status holds clinical and verification codes in one (a modifier).
  if (release === 'DSTU2')
    it.each(['Refuted', 'Entered in Error', 'Inactive', 'RESOLVED'])('an allergy of status "%s" is not in the list cell', async (status) => {
      const { csv } = await read(
        release,
        [allergy('wrong', 'Penicillin', { status }), allergy('right', 'Latex', { status: 'Confirmed' })],
        ['allergies'],
      );
      expect(csv('allergies')).toBe('Latex');
    });

  it('an allergy of type "Intolerance" reads "intolerance"', async () => {
    const { csv } = await read(release, [allergy('codeine', 'Codeine', { type: 'Intolerance' })], ['allergies']);
    expect(csv('allergies')).toBe('Codeine (intolerance)');
  });

  it('a reaction of severity "Severe" reads "severe reaction" in the list and severe in the details', async () => {
    const reaction = [{ manifestation: [{ text: 'Anaphylaxis' }], severity: 'Severe' }];
    const { csv, details } = await read(release, [allergy('shellfish', 'Shellfish', { reaction })], ['allergies']);
    expect(csv('allergies')).toBe('Shellfish (severe reaction)');
    expect(details.allergies).toMatchObject({ status: 'ok', value: [{ reactions: [{ severity: 'severe' }] }] });
  });
});

/** Coverage.status (fm-status, STU3 and R4; a modifier) written in words: a cancelled plan read as in force. */
describe.each(['STU3', 'R4'] as const)('a coverage status written in words (%s)', (release) => {
  const coverage = (id: string, payer: string, status: string) => ({
    resourceType: 'Coverage',
    id,
    status,
    beneficiary: { reference: 'Patient/p1' },
    payor: [{ display: payer }],
    period: { start: '2024-01-01' },
  });

  it.each(['Cancelled', 'Entered in Error', 'DRAFT'])('a coverage "%s" is not in the list cell; an "Active" one is', async (status) => {
    const { csv, details } = await read(release, [coverage('gone', 'Old Payer Inc', status), coverage('now', 'Acme Health', 'Active')], ['coverage']);
    expect(csv('coverage')).toBe('Acme Health');
    expect(details.coverage).toMatchObject({
      status: 'ok',
      value: expect.arrayContaining([expect.objectContaining({ payer: 'Old Payer Inc', current: false })]),
    });
  });

  it('a status that cannot be read is marked "check in EHR"', async () => {
    const { csv } = await read(release, [coverage('own', 'Acme Health', 'ELIG-3')], ['coverage']);
    expect(csv('coverage')).toBe('Acme Health (check in EHR)');
  });
});
