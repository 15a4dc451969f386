import { describe, expect, it } from 'vitest';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { readCoverage, readMedications } from '../../../server/ehr/clinical/medications.js';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import { normaliseUnit } from '../../../server/ehr/clinical/units.js';
import { belongsTo, when } from '../../../server/ehr/clinical/values.js';
import { latestVitals, latestVitalsOfSorted, readVitals, vitalHistory } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';

const obs = (code: string, time: string, quantity?: Record<string, unknown>) => ({
  resourceType: 'Observation',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: time,
  ...(quantity ? { valueQuantity: quantity } : {}),
});

describe('FHIR dates', () => {
  it.each([
    ['1951', Date.UTC(1951, 0, 1)],
    ['1951-08', Date.UTC(1951, 7, 1)],
    ['1951-08-17', Date.UTC(1951, 7, 17)],
    ['2024-03-02T07:00:00Z', Date.UTC(2024, 2, 2, 7)],
    ['2024-03-02T09:00:00+02:00', Date.UTC(2024, 2, 2, 7)],
    ['2024-03-02T02:00:00-05:00', Date.UTC(2024, 2, 2, 7)],
    ['2024-03-02T07:00:00.250Z', Date.UTC(2024, 2, 2, 7, 0, 0, 250)],
    ['2024-03-02T07:00', Date.UTC(2024, 2, 2, 7)],
    ['2024-03-02T07:00:00', Date.UTC(2024, 2, 2, 7)],
    ['2024-13-01', null],
    ['last Tuesday', null],
  ])('reads %s for sorting and keeps the text', (text, epochMs) => {
    expect(when(text)).toEqual({ text, epochMs });
  });

  it.each([undefined, null, 1951, '', '  ', {}, []])('gives null for %j', (value) => {
    expect(when(value)).toBeNull();
  });
});

describe('units', () => {
  it.each([
    ['temperature', 100.4, '°F', '[degF]', { value: 38, unit: '°C', original: { value: 100.4, unit: '°F' } }],
    ['temperature', 37.2, '', 'Cel', { value: 37.2, unit: '°C' }],
    ['weight', 2200, 'g', 'g', { value: 2.2, unit: 'kg', original: { value: 2200, unit: 'g' } }],
    ['weight', 180, 'lbs', undefined, { value: 81.6, unit: 'kg', original: { value: 180, unit: 'lbs' } }],
    ['height', 1.72, 'm', 'm', { value: 172, unit: 'cm', original: { value: 1.72, unit: 'm' } }],
    ['height', 70, 'inches', '[in_i]', { value: 178, unit: 'cm', original: { value: 70, unit: 'inches' } }],
    ['temperature', 310, 'K', 'K', { value: 36.9, unit: '°C', original: { value: 310, unit: 'K' } }],
    ['heartRate', 72, 'beats/min', '/min', { value: 72, unit: '/min' }],
    ['spo2', 97, '', '%', { value: 97, unit: '%' }],
  ] as const)('%s %d %s', (kind, value, unit, code, expected) => {
    expect(normaliseUnit(kind, value, unit, code)).toEqual(expected);
  });
});

describe('vital signs', () => {
  it('pairs standalone systolic and diastolic Observations taken at the same time', () => {
    const warnings = new Warnings();
    const readings = readVitals(
      [
        obs('8480-6', '2024-01-01T10:00:00Z', { value: 120, unit: 'mmHg' }),
        obs('8462-4', '2024-01-01T10:00:00Z', { value: 80, unit: 'mmHg' }),
        obs('8480-6', '2024-01-02T10:00:00Z', { value: 135, unit: 'mmHg' }),
      ],
      warnings,
    );
    const history = vitalHistory(readings).bloodPressure!;
    expect(history.map((r) => r.kind === 'bloodPressure' && [r.systolic?.value, r.diastolic?.value])).toEqual([
      [120, 80],
      [135, undefined],
    ]);
    expect(latestVitals(readings).bloodPressure).toMatchObject({ systolic: { value: 135 }, diastolic: null });
    expect(warnings.list()).toEqual([]);
  });

  it('pairs halves whose times name the same instant in different forms ("Z", "+00:00", another offset)', () => {
    const readings = readVitals(
      [
        obs('8480-6', '2024-01-01T10:00:00Z', { value: 182, unit: 'mmHg' }),
        obs('8462-4', '2024-01-01T10:00:00+00:00', { value: 95, unit: 'mmHg' }),
        obs('8480-6', '2024-01-02T12:00:00+02:00', { value: 140, unit: 'mmHg' }),
        obs('8462-4', '2024-01-02T10:00:00.000Z', { value: 90, unit: 'mmHg' }),
      ],
      new Warnings(),
    );
    expect(vitalHistory(readings).bloodPressure!.map((r) => r.kind === 'bloodPressure' && [r.systolic?.value, r.diastolic?.value])).toEqual([
      [182, 95],
      [140, 90],
    ]);
  });

  it('accepts the other code of SpO2 and the DSTU2 BP panel, skips entered-in-error, keeps a value-less panel as one that cannot be read', () => {
    const warnings = new Warnings();
    const panel = (code: string, components: unknown[]) => ({ ...obs(code, '2024-01-01'), component: components });
    const readings = readVitals(
      [
        obs('2708-6', '2024-01-01', { value: 95, unit: '%' }),
        { ...obs('8867-4', '2024-01-05', { value: 200 }), status: 'entered-in-error' },
        panel('55284-4', [{ code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 110, unit: 'mm[Hg]' } }]),
        panel('85354-9', [{ code: { coding: [{ code: '8480-6' }] }, dataAbsentReason: { text: 'refused' } }]),
      ],
      warnings,
    );
    // A panel without a value is a pressure the EHR recorded that cannot be read (its cell "not available"), never dropped.
    expect(readings.map((r) => r.kind)).toEqual(['spo2', 'bloodPressure', 'bloodPressure']);
    expect(readings[2]).toMatchObject({ systolic: null, diastolic: null });
    expect(warnings.list()).toEqual([{ code: 'observation_without_value', count: 1 }]);
  });
});

describe('vital signs with a comparator (Quantity.comparator, a modifier)', () => {
  it('keeps "<", "<=", ">=" and ">" with the value, in a panel too', () => {
    const warnings = new Warnings();
    const readings = readVitals(
      [
        obs('8310-5', '2024-01-02', { value: 35, unit: 'Cel', code: 'Cel', comparator: '<' }),
        obs('59408-5', '2024-01-02', { value: 99, unit: '%', comparator: '>=' }),
        {
          ...obs('85354-9', '2024-01-02'),
          component: [
            { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 70, unit: 'mm[Hg]', comparator: '<' } },
            { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 40, unit: 'mm[Hg]' } },
          ],
        },
      ],
      warnings,
    );
    const latest = latestVitals(readings);
    expect(latest.temperature).toMatchObject({ value: { value: 35, unit: '°C', comparator: '<' } });
    expect(latest.spo2).toMatchObject({ value: { value: 99, unit: '%', comparator: '>=' } });
    expect(latest.bloodPressure).toMatchObject({ systolic: { value: 70, comparator: '<' }, diastolic: { value: 40 } });
    expect((latest.bloodPressure as { diastolic: object }).diastolic).not.toHaveProperty('comparator');
    expect(warnings.list()).toEqual([]);
  });

  it.each(['ad', '~', '=', 'approximately', 1, null])(
    'reads a value with the comparator %j, which it does not understand, as a value it cannot read: the newest, never the older reading',
    (comparator) => {
      const warnings = new Warnings();
      const sorted = [obs('8310-5', '2024-01-02', { value: 40, unit: 'Cel', comparator }), obs('8310-5', '2024-01-01', { value: 37.2, unit: 'Cel' })];
      expect(latestVitalsOfSorted(sorted, warnings)?.temperature).toMatchObject({ value: { value: null }, time: { text: '2024-01-02' } });
      expect(latestVitals(readVitals(sorted, new Warnings())).temperature).toMatchObject({ value: { value: null }, time: { text: '2024-01-02' } });
      expect(warnings.list()).toEqual([{ code: 'observation_without_value', count: 1 }]);
    },
  );
});

describe('the latest vital signs of an answer sorted newest first', () => {
  const codes = ['8867-4', '9279-1', '8310-5', '59408-5', '29463-7', '8302-2', '39156-5'];
  const panel = (time: string | undefined, systolic?: number) => ({
    resourceType: 'Observation',
    code: { coding: [{ code: '85354-9' }] },
    ...(time ? { effectiveDateTime: time } : {}),
    component: systolic === undefined ? [] : [{ code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mmHg' } }],
  });
  /** A random record: readings every few hours, some without a value or a time, newest first. */
  function record(seed: number) {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const list: Record<string, unknown>[] = [];
    let at = Date.UTC(2026, 10, 30);
    for (let i = 0; i < 40; i++) {
      // Several readings share a time; then the clock goes back zero to three hours.
      at -= 3_600_000 * Math.floor(next() * 4);
      const time = next() < 0.1 ? undefined : new Date(at).toISOString();
      if (next() < 0.2) list.push(panel(time, next() < 0.2 ? undefined : 100 + Math.floor(next() * 60)));
      else {
        const o = obs(
          codes[Math.floor(next() * codes.length)],
          time ?? '',
          next() < 0.1 ? undefined : { value: Math.round(next() * 100), unit: 'x' },
        );
        if (!time) delete (o as Record<string, unknown>).effectiveDateTime;
        list.push(o);
      }
    }
    return list;
  }

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('reads what the full read reads, for random record %i', (seed) => {
    const observations = record(seed);
    const full = new Warnings();
    const fast = new Warnings();
    const expected = latestVitals(readVitals(observations, full));
    expect(latestVitalsOfSorted(observations, fast)).toEqual(expected);
  });

  it('leaves answers that are not newest first, and standalone blood pressures, to the full read', () => {
    const warnings = new Warnings();
    expect(latestVitalsOfSorted([obs('8867-4', '2024-01-01', { value: 60 }), obs('8867-4', '2024-01-02', { value: 70 })], warnings)).toBeNull();
    expect(latestVitalsOfSorted([obs('8480-6', '2024-01-02', { value: 120, unit: 'mmHg' })], warnings)).toBeNull();
    expect(warnings.list()).toEqual([]);
  });
});

describe('encounters', () => {
  const encounter = (location: unknown[], klass: unknown = { code: 'IMP' }) => ({
    resourceType: 'Encounter',
    class: klass,
    period: { start: '2024-01-01' },
    location,
  });
  const at = (display: string, extra: Record<string, unknown> = {}) => ({ location: { display }, ...extra });

  it.each([
    [[at('Room 12 Bed 3')], '12', '3'],
    [[at('Rm. 4B, bed: 2')], '4B', '2'],
    [[at('Bedford Ward')], null, null],
    [[at('ICU'), at('412', { physicalType: { coding: [{ code: 'ro' }] } }), at('B', { physicalType: { coding: [{ code: 'bd' }] } })], '412', 'B'],
    [[at('Room 1', { status: 'completed' }), at('Room 2', { status: 'active' })], '2', null],
    // A room or bed whose own display names it: the number, not "Room Room 412".
    [[at('Room 412', { physicalType: { coding: [{ code: 'ro' }] } }), at('Bed B', { physicalType: { coding: [{ code: 'bd' }] } })], '412', 'B'],
  ])('finds room and bed in %j', (location, room, bed) => {
    expect(readEncounters([encounter(location)])[0]).toMatchObject({ room, bed });
  });

  it.each([
    ['inpatient', 'IMP', true],
    ['emergency', 'EMER', false],
    [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ACUTE' }, 'ACUTE', true],
    [[{ coding: [{ code: 'AMB' }] }], 'AMB', false],
  ])('reads class %j as %s', (klass, code, admitted) => {
    const view = readEncounters([encounter([], klass)])[0];
    expect(view.class).toBe(code);
    expect(view.admission !== null).toBe(admitted);
  });
});

describe('conditions, allergies, medications, coverage', () => {
  it('splits the DSTU2 allergy status into clinical and verification', () => {
    const [confirmed, resolved] = readAllergies([
      { resourceType: 'AllergyIntolerance', substance: { coding: [{ display: 'Peanut' }] }, status: 'confirmed', recordedDate: '2020' },
      { resourceType: 'AllergyIntolerance', substance: { text: 'Dust' }, status: 'resolved', recordedDate: '2019' },
    ]);
    expect(confirmed).toMatchObject({ substance: 'Peanut', clinicalStatus: null, verificationStatus: 'confirmed' });
    expect(resolved).toMatchObject({ substance: 'Dust', clinicalStatus: 'resolved', verificationStatus: null });
  });

  it('reads R4 condition statuses and falls back to the onset period', () => {
    const [view] = readConditions([
      {
        resourceType: 'Condition',
        code: { text: 'Asthma' },
        clinicalStatus: { coding: [{ code: 'remission' }] },
        verificationStatus: { coding: [{ code: 'confirmed' }] },
        onsetPeriod: { start: '2001-05' },
      },
    ]);
    expect(view).toMatchObject({ display: 'Asthma', clinicalStatus: 'remission', verificationStatus: 'confirmed', date: { text: '2001-05' } });
  });

  it('names medications from contained and referenced Medications, with the STU3 and R4 requester', () => {
    const views = readMedications(
      [
        {
          resourceType: 'MedicationRequest',
          contained: [{ resourceType: 'Medication', id: 'm', code: { coding: [{ display: 'Heparin' }] } }],
          medicationReference: { reference: '#m' },
          requester: { agent: { display: 'Dr. A' } },
          authoredOn: '2024-01-02',
        },
        {
          resourceType: 'MedicationRequest',
          medicationReference: { reference: 'Medication/x', display: 'Insulin' },
          requester: { display: 'Dr. B' },
          authoredOn: '2024-01-01',
        },
        { resourceType: 'MedicationRequest', medicationReference: { reference: 'Medication/unknown' } },
      ],
      new Map(),
    );
    expect(views.map((v) => [v.name, v.prescriber])).toEqual([
      ['Heparin', 'Dr. A'],
      ['Insulin', 'Dr. B'],
      [null, null],
    ]);
  });

  it('reads STU3 coverage grouping codes when there is no display', () => {
    const [view] = readCoverage([
      {
        resourceType: 'Coverage',
        payor: [{ reference: 'Organization/1' }, { display: 'Fabrikam' }],
        grouping: { plan: 'P7', group: 'G2' },
        subscriberId: 'S9',
      },
    ]);
    expect(view).toMatchObject({ payer: 'Fabrikam', plan: 'P7', group: 'G2', subscriberId: 'S9' });
  });

  it('knows whose record a resource is', () => {
    expect(belongsTo({ subject: { reference: 'Patient/p1' } }, 'p1')).toBe(true);
    expect(belongsTo({ subject: { reference: 'https://ehr.example/fhir/Patient/p1/_history/3' } }, 'p1')).toBe(true);
    expect(belongsTo({ patient: { reference: 'Patient/p2' } }, 'p1')).toBe(false);
    expect(belongsTo({ subject: { reference: 'urn:uuid:1234' } }, 'p1')).toBe(true);
  });
});
