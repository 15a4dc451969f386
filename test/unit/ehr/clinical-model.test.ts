import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalWarning, type EhrGateway, type PatientClinical, type PatientDetails } from '../../../server/ehr/index.js';
import { summariseForComparison } from '../../../scripts/compat/compare.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const ALL = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'] as const;

const ehr = useFakeEhr();
let reported: ClinicalWarning[];
beforeEach(() => {
  reported = [];
});

/** A new gateway per read: discovery is cached per base URL, and each read serves another release there. */
function gateway(): EhrGateway {
  return createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: (w) => reported.push(...w) });
}

async function read(record: LogicalRecord, release: Release): Promise<{ details: PatientDetails; row: PatientClinical }> {
  serveClinical(ehr, writeRecord(record, release), { release });
  const ehrGateway = gateway();
  const details = await ehrGateway.readPatientDetails(ehr.base, TENANT, record.id);
  const rows = await ehrGateway.readClinical(ehr.base, TENANT, [record.id], [...ALL]);
  expect(details).not.toBeNull();
  expect(rows.get(record.id)).toBeDefined();
  return { details: details!, row: rows.get(record.id)! };
}

const at = (text: string) => ({
  text,
  epochMs: Date.parse(text.length === 7 ? `${text}-01T00:00:00Z` : text.length <= 10 ? `${text}T00:00:00Z` : text),
});

interface Case {
  name: string;
  record: LogicalRecord;
  check: (details: PatientDetails, row: PatientClinical) => void;
}

const cases: Case[] = [
  {
    name: 'a full inpatient record',
    record: sampleRecord(),
    check: (d, row) => {
      expect(d.patient).toMatchObject({ id: 'p1', displayName: 'Ana Rivera', mrn: 'MRN-p1', birthDate: '1951-08' });
      expect(d.careProvider).toEqual({ status: 'ok', value: 'Dr. Lee' });
      expect(d.vitals).toEqual({
        status: 'ok',
        value: {
          heartRate: { kind: 'heartRate', time: at('2024-03-02T08:00:00+01:00'), value: { value: 72, unit: '/min' } },
          bloodPressure: {
            kind: 'bloodPressure',
            time: at('2024-03-02T07:00:00Z'),
            systolic: { value: 128, unit: 'mmHg' },
            diastolic: { value: 82, unit: 'mmHg' },
          },
          respiratoryRate: { kind: 'respiratoryRate', time: at('2024-03-02T07:00:00Z'), value: { value: 16, unit: '/min' } },
          temperature: {
            kind: 'temperature',
            time: at('2024-03-02T07:00:00Z'),
            value: { value: 37, unit: '°C', original: { value: 98.6, unit: '°F' } },
          },
          spo2: { kind: 'spo2', time: at('2024-03-02T07:00:00Z'), value: { value: 97, unit: '%' } },
          weight: { kind: 'weight', time: at('2024-03-01'), value: { value: 69.9, unit: 'kg', original: { value: 154, unit: 'lb' } } },
          height: { kind: 'height', time: at('2024-03'), value: { value: 165, unit: 'cm', original: { value: 65, unit: 'in' } } },
          bmi: { kind: 'bmi', time: at('2024-03-01'), value: { value: 25.6, unit: 'kg/m²' } },
        },
      });
      expect(d.vitalHistory.status === 'ok' && d.vitalHistory.value.heartRate?.map((r) => r.kind === 'heartRate' && r.value.value)).toEqual([88, 72]);
      expect(d.encounter).toEqual({
        status: 'ok',
        value: {
          id: 'p1-enc-1',
          status: 'in-progress',
          type: 'Admission',
          class: 'IMP',
          start: at('2024-02-28T22:15:00Z'),
          end: null,
          location: 'Ward 4 West, Room 412, Bed B',
          room: '412',
          bed: 'B',
          admission: at('2024-02-28T22:15:00Z'),
        },
      });
      expect(d.encounters.status === 'ok' && d.encounters.value.map((e) => [e.class, e.admission])).toEqual([
        ['IMP', at('2024-02-28T22:15:00Z')],
        ['AMB', null],
      ]);
      expect(d.conditions).toEqual({
        status: 'ok',
        value: [
          {
            display: 'Pneumonia',
            code: 'http://snomed.info/sct|000',
            severity: 'Moderate',
            date: at('2024-02-28'),
            onset: null,
            clinicalStatus: 'active',
            verificationStatus: null,
            current: true,
          },
          {
            display: 'Hypertension',
            code: 'http://snomed.info/sct|000',
            severity: null,
            date: at('2015'),
            onset: at('2015'),
            clinicalStatus: 'active',
            verificationStatus: null,
            current: true,
          },
        ],
      });
      expect(d.allergies).toEqual({
        status: 'ok',
        value: [
          {
            substance: 'Penicillin',
            clinicalStatus: 'active',
            verificationStatus: null,
            criticality: null,
            date: at('2010-05-01'),
            onset: null,
            recorded: at('2010-05-01'),
            lastReaction: null,
            note: null,
            reactions: [{ substance: null, manifestations: ['Hives'], severity: null, date: at('2010-04'), note: 'Rash within hours' }],
            current: true,
            noneKnown: false,
          },
        ],
      });
      expect(d.medications).toEqual({
        status: 'ok',
        value: [
          {
            kind: 'order',
            name: 'Amoxicillin 500 MG',
            code: null,
            status: 'active',
            current: true,
            dosage: '500 mg three times a day',
            date: at('2024-02-29'),
            prescriber: 'Dr. Okafor',
          },
          {
            kind: 'order',
            name: 'Lisinopril 10 MG',
            code: null,
            status: 'active',
            current: true,
            dosage: '10 mg daily',
            date: at('2015-06-01'),
            prescriber: 'Dr. Lee',
          },
        ],
      });
      expect(d.coverage).toEqual({
        status: 'ok',
        value: [
          {
            payer: 'Contoso Health',
            selfPay: false,
            plan: 'Gold PPO',
            group: 'Northwind staff',
            subscriberId: 'SUB-1',
            status: null,
            periodStart: at('2024-01-01'),
            periodEnd: at('2024-12-31'),
            // Its period is over: the details show it, a list cell would not.
            current: false,
          },
        ],
      });
      // The list row carries the same cells (latest only), without the history.
      expect(row).toMatchObject({
        vitals: d.vitals,
        encounter: d.encounter,
        conditions: d.conditions,
        allergies: d.allergies,
        medications: d.medications,
        coverage: d.coverage,
      });
      expect(row).not.toHaveProperty('vitalHistory');
    },
  },
  {
    name: 'a record with nothing but the patient',
    record: { ...sampleRecord('p2'), gp: undefined, vitals: [], encounters: [], conditions: [], allergies: [], medications: [], coverage: [] },
    check: (d, row) => {
      for (const cell of [
        d.careProvider,
        d.vitals,
        d.vitalHistory,
        d.encounter,
        d.encounters,
        d.conditions,
        d.allergies,
        d.medications,
        d.coverage,
      ]) {
        expect(cell).toEqual({ status: 'none' });
      }
      expect(row.vitals).toEqual({ status: 'none' });
      expect(d.warnings).toEqual([]);
    },
  },
  {
    name: 'vitals with unknown codes, a value missing and an outpatient visit last',
    record: {
      ...sampleRecord('p3'),
      vitals: [
        { code: '8867-4', value: null, unit: '/min', ucum: '/min', time: '2024-05-01T10:00:00Z' },
        { code: '8867-4', value: 64, unit: 'beats/minute', ucum: '/min', time: '2024-04-01T10:00:00Z' },
        { code: '2708-6', value: 99, unit: '%', ucum: '%', time: '2024-04-01T10:00:00Z' },
        { code: '8310-5', value: 36.8, unit: 'Cel', ucum: 'Cel', time: '2024-04-01T10:00:00Z' },
        { code: '9999-9', value: 5, unit: 'x', ucum: 'x', time: '2024-06-01T10:00:00Z' },
      ],
      encounters: [
        { inpatient: true, type: 'Admission', start: '2024-01-02T00:00:00Z', end: '2024-01-09T00:00:00Z', location: 'Bed: 7' },
        { inpatient: false, type: 'Follow-up', start: '2024-02-01T09:00:00Z', end: '2024-02-01T09:20:00Z' },
      ],
    },
    check: (d) => {
      expect(d.vitals.status === 'ok' && Object.keys(d.vitals.value).sort()).toEqual(['heartRate', 'spo2', 'temperature']);
      expect(d.vitals).toMatchObject({
        value: {
          heartRate: { value: { value: 64, unit: '/min' } },
          spo2: { value: { value: 99 } },
          temperature: { value: { value: 36.8, unit: '°C' } },
        },
      });
      expect(d.warnings).toContainEqual({ code: 'observation_without_value', count: 1 });
      expect(reported).toContainEqual({ code: 'observation_without_value', count: 1 });
      expect(d.encounter).toMatchObject({
        status: 'ok',
        value: { type: 'Follow-up', class: 'AMB', admission: null, location: null, room: null, bed: null },
      });
      expect(d.encounters.status === 'ok' && d.encounters.value[1]).toMatchObject({ bed: '7', room: null, admission: at('2024-01-02T00:00:00Z') });
    },
  },
];

describe.each(cases)('$name', ({ record, check }) => {
  it.each(RELEASES)('reads into the expected view through %s', async (release) => {
    const { details, row } = await read(record, release);
    check(details, row);
  });

  it('gives the same view model and comparison summary through DSTU2, STU3 and R4', async () => {
    const seen: PatientDetails[] = [];
    for (const release of RELEASES) seen.push((await read(record, release)).details);
    expect(seen[0]).toEqual(seen[2]);
    expect(seen[1]).toEqual(seen[2]);
    expect(summariseForComparison(seen[0])).toEqual(summariseForComparison(seen[2]));
  });
});

describe('the comparison summary', () => {
  it('is plain, sorted, and keeps "not available" apart from "none recorded"', async () => {
    const { details } = await read(sampleRecord(), 'R4');
    expect(summariseForComparison(details)).toEqual({
      name: 'Ana Rivera',
      gender: 'female',
      mrn: 'MRN-p1',
      conditions: ['Hypertension', 'Pneumonia'],
      allergies: ['Penicillin'],
      medications: ['Amoxicillin 500 MG', 'Lisinopril 10 MG'],
      vitals: {
        heartRate: { value: '72', unit: '/min' },
        bloodPressure: { value: '128/82', unit: 'mmHg' },
        respiratoryRate: { value: '16', unit: '/min' },
        temperature: { value: '37', unit: '°C' },
        spo2: { value: '97', unit: '%' },
        weight: { value: '69.9', unit: 'kg' },
        height: { value: '165', unit: 'cm' },
        bmi: { value: '25.6', unit: 'kg/m²' },
      },
    });
    const withoutAllergies = {
      ...details,
      allergies: { status: 'unavailable', reason: 'not_offered' } as const,
      conditions: { status: 'none' } as const,
    };
    expect(summariseForComparison(withoutAllergies)).toMatchObject({ allergies: null, conditions: [] });
  });
});
