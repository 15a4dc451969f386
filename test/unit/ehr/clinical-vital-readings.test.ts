import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { columnCells } from '../../../contract/cells.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import type { LatestVitals, PatientClinical, SimpleReading } from '../../../server/ehr/clinical/types.js';
import { normaliseUnit } from '../../../server/ehr/clinical/units.js';
import { latestVitals, latestVitalsOfSorted, readVitals, vitalHistory } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { vitalObservation } from './vital-observations.js';

/**
 * How vital signs are read, per FHIR release, from Observations through the list cell the tab
 * shows (assemblePart → cellsFor → showCell): pairing of standalone systolic and diastolic
 * Observations, Observation.status, units, readings dated in the future, and blood pressure
 * panels sent as text.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const UCUM = 'http://unitsofmeasure.org';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The blood pressure panel code of each release's vital signs profile. */
const panelCode = (release: Release) => (release === 'DSTU2' ? '55284-4' : '85354-9');

const observation = vitalObservation;
const quantity = (value: number, unit: string, code = unit) => ({ valueQuantity: { value, unit, system: UCUM, code } });
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const systolic = (release: Release, time: string, value: number, extra?: Record<string, unknown>) =>
  observation(release, '8480-6', time, { valueQuantity: mmHg(value) }, extra);
const diastolic = (release: Release, time: string, value: number, extra?: Record<string, unknown>) =>
  observation(release, '8462-4', time, { valueQuantity: mmHg(value) }, extra);
function panel(release: Release, time: string, sys?: number, dia?: number, extra?: Record<string, unknown>) {
  const component = [
    ...(sys === undefined ? [] : [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: mmHg(sys) }]),
    ...(dia === undefined ? [] : [{ code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: mmHg(dia) }]),
  ];
  return observation(release, panelCode(release), time, { component }, extra);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What the list shows for a column, read as a list row (history: false) and as the details (full read). */
function listed(column: 'bloodPressure' | 'heartRate' | 'spo2' | 'temperature' | 'weight' | 'height', resources: object[], now = Date.now()) {
  const shown = [false, true].map((history) => {
    const warnings = new Warnings();
    const parts = assemblePart('vitals', { ok: true, set: { resources: resources as never, included: [] } }, new Map(), warnings, { history });
    const clinical = { careProvider: { status: 'none' }, warnings: [], ...parts } as unknown as PatientClinical;
    const cell = cellsFor([column], clinical, undefined)[column];
    // The cell must be what the API schema lets through unchanged.
    expect(columnCells[column].parse(cell)).toEqual(cell);
    return { cell, shown: showCell(column, cell, now), warnings: warnings.list(), history: parts.vitalHistory };
  });
  // The list row's read and the full read agree.
  expect(shown[0].cell).toEqual(shown[1].cell);
  return shown[1];
}

describe.each(releases)('standalone systolic and diastolic Observations through %s', (release) => {
  const t0 = Date.now() - HOUR;

  it('pairs halves taken a second apart into one pressure, flagged on its systolic', () => {
    for (const resources of [
      [systolic(release, iso(t0), 85), diastolic(release, iso(t0 + 1000), 50)],
      [diastolic(release, iso(t0 + 1000), 50), systolic(release, iso(t0), 85)],
      [diastolic(release, iso(t0), 50), systolic(release, iso(t0 + 1000), 85)],
    ]) {
      const { shown } = listed('bloodPressure', resources);
      expect(shown).toMatchObject({ status: 'ok', text: '85/50 mmHg', flag: 'criticalLow' });
    }
  });

  it('pairs halves up to five minutes apart, and no further', () => {
    const near = readVitals([systolic(release, iso(t0), 120), diastolic(release, iso(t0 + 5 * MINUTE), 80)], new Warnings());
    expect(near).toMatchObject([{ kind: 'bloodPressure', systolic: { value: 120 }, diastolic: { value: 80 }, time: { text: iso(t0 + 5 * MINUTE) } }]);
    const far = readVitals([systolic(release, iso(t0), 120), diastolic(release, iso(t0 + 5 * MINUTE + 1000), 80)], new Warnings());
    expect(far.map((r) => r.kind === 'bloodPressure' && [r.systolic?.value ?? null, r.diastolic?.value ?? null])).toEqual([
      [null, 80],
      [120, null],
    ]);
  });

  it('shows the newest systolic with the newest diastolic when they are one reading', () => {
    const { shown } = listed('bloodPressure', [
      systolic(release, iso(t0), 120),
      diastolic(release, iso(t0 + 1000), 50),
      systolic(release, iso(t0 + 3 * MINUTE), 85),
    ]);
    expect(shown).toMatchObject({ text: '85/50 mmHg', flag: 'criticalLow' });
  });

  it('never lets a newer lone diastolic hide an older systolic: the pressure with the systolic stays the latest', () => {
    const { shown, history } = listed('bloodPressure', [
      systolic(release, iso(t0), 85),
      diastolic(release, iso(t0 + 1000), 50),
      diastolic(release, iso(t0 + 20 * MINUTE), 55),
    ]);
    expect(shown).toMatchObject({ text: '85/50 mmHg', flag: 'criticalLow' });
    // The newer diastolic stays in the history.
    const pressures = history?.status === 'ok' ? history.value.bloodPressure : [];
    expect(pressures?.map((r) => r.kind === 'bloodPressure' && [r.systolic?.value ?? null, r.diastolic?.value ?? null])).toEqual([
      [85, 50],
      [null, 55],
    ]);
    // The same from a panel with only a diastolic component, and with the halves more than five minutes apart.
    expect(listed('bloodPressure', [panel(release, iso(t0), 85, 50), panel(release, iso(t0 + 20 * MINUTE), undefined, 55)]).shown).toMatchObject({
      text: '85/50 mmHg',
      flag: 'criticalLow',
    });
    expect(listed('bloodPressure', [systolic(release, iso(t0), 85), diastolic(release, iso(t0 + 10 * MINUTE), 50)]).shown).toMatchObject({
      text: '85/? mmHg',
      flag: 'criticalLow',
    });
  });

  it('shows a newer lone systolic as the latest, its diastolic unknown', () => {
    const { shown } = listed('bloodPressure', [
      systolic(release, iso(t0), 120),
      diastolic(release, iso(t0), 80),
      systolic(release, iso(t0 + HOUR), 88),
    ]);
    expect(shown).toMatchObject({ text: '88/? mmHg', flag: 'criticalLow' });
  });

  it('shows a lone diastolic when no pressure has a systolic', () => {
    expect(listed('bloodPressure', [diastolic(release, iso(t0), 50)]).shown).toMatchObject({ text: '?/50 mmHg' });
  });
});

describe.each(releases)('Observation.status through %s', (release) => {
  const t0 = Date.now() - HOUR;

  it('skips a registered Observation ("no result yet available"), like a cancelled one', () => {
    const warnings = new Warnings();
    const resources = [
      observation(release, '8867-4', iso(t0 + 10 * MINUTE), quantity(30, '/min'), { status: 'registered' }),
      observation(release, '8867-4', iso(t0), quantity(72, '/min')),
    ];
    expect(listed('heartRate', resources).shown).toMatchObject({ text: '72/min' });
    expect(readVitals(resources, warnings)).toHaveLength(1);
    const halves = [systolic(release, iso(t0), 85, { status: 'registered' }), diastolic(release, iso(t0), 50)];
    expect(listed('bloodPressure', halves).shown.text).toBe('?/50 mmHg');
    expect(listed('bloodPressure', [panel(release, iso(t0), 85, 50, { status: 'registered' })]).shown.status).toBe('none');
  });

  it('shows a preliminary reading marked preliminary, in words', () => {
    const pulse = listed('heartRate', [observation(release, '8867-4', iso(t0), quantity(135, '/min'), { status: 'preliminary' })]);
    expect(pulse.cell).toMatchObject({ status: 'ok', value: { preliminary: true } });
    expect(pulse.shown).toMatchObject({ text: '135/min (preliminary)', preliminary: true, flag: 'criticalHigh' });
    const pressure = listed('bloodPressure', [panel(release, iso(t0), 85, 50, { status: 'preliminary' })]);
    expect(pressure.shown).toMatchObject({ text: '85/50 mmHg (preliminary)', preliminary: true, flag: 'criticalLow' });
    // A pressure is preliminary when either of its halves is.
    const halves = listed('bloodPressure', [systolic(release, iso(t0), 120), diastolic(release, iso(t0), 80, { status: 'preliminary' })]);
    expect(halves.shown).toMatchObject({ text: '120/80 mmHg (preliminary)', preliminary: true });
  });

  // `unknown` is marked "status unknown" (vitals-truth-review-findings.test.ts): the EHR does not know whether it is final.
  it.each(['final', 'amended', 'corrected', undefined])('shows a %s reading as a result, unmarked', (status) => {
    const { cell, shown } = listed('heartRate', [observation(release, '8867-4', iso(t0), quantity(72, '/min'), { status })]);
    expect(shown.text).toBe('72/min');
    expect(shown).not.toHaveProperty('preliminary');
    expect(cell).not.toHaveProperty('value.preliminary');
  });
});

describe.each(releases)('units through %s', (release) => {
  const t0 = Date.now() - HOUR;

  it('reads UCUM annotations as the unit they annotate: SpO2 91 %{O2} is 91 % and flagged', () => {
    expect(listed('spo2', [observation(release, '59408-5', iso(t0), quantity(91, '%{O2}'))]).shown).toMatchObject({
      text: '91 %',
      flag: 'criticalLow',
    });
    expect(listed('spo2', [observation(release, '2708-6', iso(t0), quantity(93, '%', '%{Oxygen}'))]).shown).toMatchObject({
      text: '93 %',
      flag: 'low',
    });
  });

  it('reads UCUM codes written without their brackets (lb_av, in_i, degF, mm[Hg] as mmHg)', () => {
    expect(listed('weight', [observation(release, '29463-7', iso(t0), quantity(154, 'lb_av'))]).shown.text).toBe('69.9 kg');
    expect(listed('height', [observation(release, '8302-2', iso(t0), quantity(70, 'in_i'))]).shown.text).toBe('178 cm');
    expect(listed('temperature', [observation(release, '8310-5', iso(t0), quantity(95, 'degF'))]).shown).toMatchObject({
      text: '35 °C',
      flag: 'criticalLow',
    });
  });

  it('converts kelvin to °C', () => {
    expect(listed('temperature', [observation(release, '8310-5', iso(t0), quantity(307.15, 'K'))]).shown).toMatchObject({
      text: '34 °C',
      flag: 'criticalLow',
      source: '307.15 K',
    });
  });

  it('neither converts nor flags a value whose unit text and UCUM code name different units, and warns', () => {
    const { shown, warnings } = listed('temperature', [
      observation(release, '8310-5', iso(t0), { valueQuantity: { value: 98.6, unit: '°F', system: UCUM, code: 'Cel' } }),
    ]);
    expect(shown.text).toBe('98.6 Cel | °F (not flagged: unit not recognised)');
    expect(shown).not.toHaveProperty('flag');
    expect(warnings).toContainEqual({ code: 'vital_unit_conflict', count: 1 });
  });

  it('takes the UCUM code where the unit text says nothing the kind knows, and ignores a code of another system', () => {
    expect(normaliseUnit('temperature', 95, 'degrees F', '[degF]', undefined, { system: UCUM })).toMatchObject({ value: 35, unit: '°C' });
    expect(normaliseUnit('temperature', 37, '°C', 'F', undefined, { system: 'http://example.org/units' })).toEqual({ value: 37, unit: '°C' });
    // The same unit said two ways is no conflict.
    expect(normaliseUnit('weight', 154, 'lbs', '[lb_av]', undefined, { system: UCUM })).toMatchObject({ value: 69.9, unit: 'kg' });
  });
});

describe.each(releases)('readings dated in the future through %s', (release) => {
  it('does not take a reading dated beyond a five-minute allowance as the latest; it stays in the history', () => {
    const now = Date.now();
    const resources = [
      observation(release, '8867-4', iso(now + 24 * HOUR), quantity(150, '/min')),
      observation(release, '8867-4', iso(now - HOUR), quantity(72, '/min')),
    ];
    const { shown, history } = listed('heartRate', resources);
    expect(shown.text).toBe('72/min');
    expect(history?.status === 'ok' && history.value.heartRate?.map((r) => r.kind === 'heartRate' && r.value.value)).toEqual([72, 150]);
    const pressures = [panel(release, iso(now + 2 * 24 * HOUR), 180, 100), panel(release, iso(now - HOUR), 85, 50)];
    expect(listed('bloodPressure', pressures).shown).toMatchObject({ text: '85/50 mmHg', flag: 'criticalLow' });
  });

  it('takes `now` as a parameter: within the allowance a reading is current, beyond it is not', () => {
    const now = Date.UTC(2026, 11, 5, 12);
    const resources = [
      observation(release, '8867-4', iso(now + 10 * MINUTE), quantity(150, '/min')),
      observation(release, '8867-4', iso(now + 4 * MINUTE), quantity(130, '/min')),
      observation(release, '8867-4', iso(now - HOUR), quantity(72, '/min')),
    ];
    const pulse = (latest: LatestVitals | null) => (latest?.heartRate as SimpleReading | undefined)?.value.value;
    expect(pulse(latestVitals(readVitals(resources, new Warnings()), now))).toBe(130);
    expect(pulse(latestVitalsOfSorted(resources, new Warnings(), now))).toBe(130);
    expect(pulse(latestVitals(readVitals(resources, new Warnings()), now + HOUR))).toBe(150);
    // Only readings in the future: the newest of them, rather than nothing at all.
    expect(pulse(latestVitals(readVitals(resources.slice(0, 2), new Warnings()), now - 2 * HOUR))).toBe(150);
    expect(pulse(latestVitalsOfSorted(resources.slice(0, 2), new Warnings(), now - 2 * HOUR))).toBe(150);
  });
});

describe.each(releases)('a blood pressure panel with its value as text through %s', (release) => {
  const t0 = Date.now() - HOUR;
  const textPanel = (valueString: string, time = iso(t0)) => observation(release, panelCode(release), time, { valueString });

  it.each(['82/40', '82/40 mmHg', ' 82 / 40 mm[Hg] ', '82/40 mm Hg'])('reads %j as 82/40 mmHg, flagged', (text) => {
    expect(listed('bloodPressure', [textPanel(text)]).shown).toMatchObject({ status: 'ok', text: '82/40 mmHg', flag: 'criticalLow' });
  });

  // Recorded but not readable: "not available", never "none recorded" (the EHR has a reading).
  it.each(['82/40/10', 'high', '82.5/40', '82/40 kPa', ''])('reads %j as no value it can show, with a warning', (text) => {
    const { shown, warnings } = listed('bloodPressure', [textPanel(text)]);
    expect(shown.status).toBe('unavailable');
    expect(warnings).toContainEqual({ code: 'observation_without_value', count: 1 });
  });

  it('reads the components when there are any', () => {
    const both = { ...panel(release, iso(t0), 120, 80), valueString: '82/40' };
    expect(listed('bloodPressure', [both]).shown.text).toBe('120/80 mmHg');
  });
});

describe('the latest vital signs of an answer sorted newest first, with statuses, future times and half pressures', () => {
  const now = Date.UTC(2026, 11, 5, 12);
  const statuses = ['final', 'preliminary', 'registered', 'amended', undefined];
  /** A random record, newest first: some readings in the future, some without time, panels with one half or as text. */
  function record(seed: number, release: Release) {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const list: object[] = [];
    let at = now + 3 * HOUR;
    for (let i = 0; i < 40; i++) {
      at -= 30 * MINUTE * Math.floor(next() * 4);
      const time = next() < 0.1 ? undefined : iso(at);
      const status = statuses[Math.floor(next() * statuses.length)];
      const roll = next();
      const o =
        roll < 0.15
          ? panel(
              release,
              time ?? '',
              next() < 0.4 ? undefined : 80 + Math.floor(next() * 60),
              next() < 0.3 ? undefined : 40 + Math.floor(next() * 40),
            )
          : roll < 0.2
            ? observation(release, panelCode(release), time, { valueString: `${90 + Math.floor(next() * 50)}/${50 + Math.floor(next() * 30)}` })
            : observation(release, ['8867-4', '59408-5', '8310-5'][Math.floor(next() * 3)], time, quantity(Math.round(next() * 100), '%{x}'));
      if (time === undefined) delete (o as Record<string, unknown>).effectiveDateTime;
      list.push({ ...o, status });
    }
    return list;
  }

  it.each(releases.flatMap((release) => Array.from({ length: 15 }, (_, i) => [release, i + 1] as const)))(
    '%s record %i: the fast read gives what the full read gives',
    (release, seed) => {
      const observations = record(seed, release) as never[];
      const expected = latestVitals(readVitals(observations, new Warnings()), now);
      const fast = latestVitalsOfSorted(observations, new Warnings(), now);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(expected);
      // Readings dated in the future stay in the history.
      const history = Object.values(vitalHistory(readVitals(observations, new Warnings()))).flat();
      expect(history.filter((r) => r.time!.epochMs! > now).length).toBe(
        observations.filter(
          (o: { effectiveDateTime?: string; status?: string }) => o.status !== 'registered' && Date.parse(o.effectiveDateTime ?? '') > now,
        ).length -
          observations.filter(
            (o: { effectiveDateTime?: string; status?: string; component?: unknown[] }) =>
              o.status !== 'registered' && Date.parse(o.effectiveDateTime ?? '') > now && Array.isArray(o.component) && o.component.length === 0,
          ).length,
      );
    },
  );
});

describe.each(releases)("a reading about someone else in the patient's record (%s)", (release) => {
  const now = Date.now();
  const mothers = observation(release, '8867-4', iso(now - 30 * MINUTE), quantity(38, '/min'));
  /** R4 Observation.focus; DSTU2 the focal-subject extension, STU3 the same as a modifier extension. */
  const aboutFetus = (time: string, value: number) =>
    observation(
      release,
      '8867-4',
      time,
      quantity(value, '/min'),
      release === 'R4'
        ? { focus: [{ display: 'Fetus (twin A)' }] }
        : {
            [release === 'DSTU2' ? 'extension' : 'modifierExtension']: [
              { url: 'http://hl7.org/fhir/StructureDefinition/observation-focal-subject', valueCodeableConcept: { text: 'Fetus (twin A)' } },
            ],
          },
    );

  it("is never the patient's own reading: not the latest, not flagged, not in the trend", () => {
    const { cell, shown, warnings, history } = listed('heartRate', [aboutFetus(iso(now - 5 * MINUTE), 142), mothers], now);
    expect(cell).toMatchObject({ status: 'ok', value: { value: { value: 38 } } });
    expect(shown.text).toContain('38');
    expect(shown.text).not.toContain('142');
    const rates = history?.status === 'ok' ? history.value.heartRate : [];
    expect(rates?.map((r) => r.kind !== 'bloodPressure' && r.value.value)).toEqual([38]);
    expect(warnings).toContainEqual({ code: 'vital_other_focus', count: 1 });
  });

  it('leaves the kind "none recorded" when it is the only reading of it', () => {
    expect(listed('heartRate', [aboutFetus(iso(now - 5 * MINUTE), 142)], now).cell).toEqual({ status: 'none' });
  });

  if (release === 'R4')
    it('a focus that is the patient themself changes nothing', () => {
      const own = { ...mothers, focus: [{ reference: 'Patient/p1' }] };
      expect(listed('heartRate', [own], now).cell).toMatchObject({ status: 'ok', value: { value: { value: 38 } } });
    });
});
