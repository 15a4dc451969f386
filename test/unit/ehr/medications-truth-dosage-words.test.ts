import { describe, expect, it } from 'vitest';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';

/**
 * A dosage without text is written from its structure (the details' dosage line). R4
 * Dosage.doseAndRate.type (https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.doseAndRate.type,
 * dose-rate-type: ordered, calculated) names the kind of one dose, never an alternative dose;
 * maxDosePerPeriod (DSTU2, STU3, R4), Timing.repeat.duration/durationUnit ("over 30 min") and
 * Timing.event (DSTU2, STU3, R4) are part of what is ordered. Dosage.text, when given, is what is shown.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const dosageOf = (release: Release, instruction: JsonObject) =>
  readMedications(
    [
      {
        resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
        status: 'active',
        ...(release === 'DSTU2' ? {} : { intent: 'order' }),
        medicationCodeableConcept: { text: 'X' },
        dosageInstruction: [instruction],
      },
    ],
    new Map(),
  )[0].dosage;
/** A dose: R4 doseAndRate[], STU3 and DSTU2 on the dosage itself. */
const withDose = (release: Release, dose: JsonObject, rest: JsonObject = {}) =>
  release === 'R4' ? { doseAndRate: [dose], ...rest } : { ...dose, ...rest };
const DOSE_RATE_TYPE = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';

describe('R4 doseAndRate of different types: one dose, each named by its type', () => {
  it('"15 mg/kg (ordered), 1050 mg (calculated)", by text or by the dose-rate-type code', () => {
    const byText = {
      doseAndRate: [
        { type: { text: 'ordered' }, doseQuantity: { value: 15, unit: 'mg/kg' } },
        { type: { text: 'calculated' }, doseQuantity: { value: 1050, unit: 'mg' } },
      ],
    };
    expect(dosageOf('R4', byText)).toBe('15 mg/kg (ordered), 1050 mg (calculated)');
    const byCode = {
      doseAndRate: [
        { type: { coding: [{ system: DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }] }, doseQuantity: { value: 15, unit: 'mg/kg' } },
        { type: { coding: [{ system: DOSE_RATE_TYPE, code: 'calculated', display: 'Calculated' }] }, doseQuantity: { value: 1050, unit: 'mg' } },
      ],
    };
    expect(dosageOf('R4', byCode)).toBe('15 mg/kg (ordered), 1050 mg (calculated)');
  });

  it('a rate ordered and calculated likewise', () => {
    const rates = {
      doseAndRate: [
        { type: { text: 'ordered' }, rateQuantity: { value: 2, unit: 'mg/kg/h' } },
        { type: { text: 'calculated' }, rateQuantity: { value: 140, unit: 'mg/h' } },
      ],
    };
    expect(dosageOf('R4', rates)).toBe('at 2 mg/kg/h (ordered), 140 mg/h (calculated)');
  });
});

describe.each(releases)('the limits and times of a dosage stay in its words (%s)', (release) => {
  it('a PRN opioid keeps its maxDosePerPeriod: "max 20 mg per 24 h"', () => {
    const prn = withDose(
      release,
      { doseRange: { low: { value: 2, unit: 'mg' }, high: { value: 4, unit: 'mg' } } },
      {
        asNeededBoolean: true,
        timing: { repeat: { frequency: 1, period: 2, periodUnit: 'h' } },
        maxDosePerPeriod: { numerator: { value: 20, unit: 'mg' }, denominator: { value: 24, unit: 'h' } },
      },
    );
    expect(dosageOf(release, prn)).toBe('2–4 mg every 2 h as needed max 20 mg per 24 h');
  });

  it('an infusion keeps its duration: "over 30 min" (DSTU2 durationUnits)', () => {
    const unitKey = release === 'DSTU2' ? 'durationUnits' : 'durationUnit';
    const infusion = withDose(
      release,
      { doseQuantity: { value: 1, unit: 'g' } },
      { timing: { repeat: { frequency: 1, period: 12, periodUnit: 'h', duration: 30, [unitKey]: 'min' } } },
    );
    expect(dosageOf(release, infusion)).toBe('1 g every 12 h over 30 min');
  });

  it('a dose at a set time keeps it, written readably (Timing.event)', () => {
    const once = withDose(release, { doseQuantity: { value: 40, unit: 'mg' } }, { timing: { event: ['2026-12-07T08:00:00Z'] } });
    expect(dosageOf(release, once)).toBe('40 mg at 2026-12-07 08:00 UTC');
    const zoned = withDose(release, { doseQuantity: { value: 40, unit: 'mg' } }, { timing: { event: ['2026-12-07T08:00:00+01:00', '2026-12-08'] } });
    expect(dosageOf(release, zoned)).toBe('40 mg at 2026-12-07 08:00 UTC+01:00, 2026-12-08');
  });

  it('Dosage.text, when given, is what is shown', () => {
    const texted = withDose(
      release,
      { doseQuantity: { value: 1, unit: 'g' } },
      { text: '1 g IV over 30 minutes', timing: { repeat: { duration: 30, durationUnit: 'min' } } },
    );
    expect(dosageOf(release, texted)).toBe('1 g IV over 30 minutes');
  });
});

describe.each(releases)('%s: the body site and method of a dosage written from its structure', (release) => {
  it('says which eye or knee (Dosage.site; DSTU2 siteCodeableConcept), and the method first ("Inhale")', () => {
    const site = release === 'DSTU2' ? { siteCodeableConcept: { text: 'left eye' } } : { site: { text: 'left eye' } };
    const eyeDrops = withDose(release, { doseQuantity: { value: 1, unit: 'drop' } }, { route: { text: 'Ophthalmic' }, ...site });
    expect(dosageOf(release, eyeDrops)).toBe('1 drop Ophthalmic to left eye');
    const inhaled = withDose(release, { doseQuantity: { value: 2, unit: 'puff' } }, { method: { text: 'Inhale' } });
    expect(dosageOf(release, inhaled)).toBe('Inhale 2 puff');
  });
});
