import type { VitalKind } from './types.js';

/** What a LOINC code of a vital-sign Observation (or of a blood pressure component) is read as. */
export type VitalCodeKind = Exclude<VitalKind, 'bloodPressure'> | 'bpPanel' | 'systolic' | 'diastolic';

/**
 * The LOINC codes read as each vital kind: the code of the FHIR vital signs profile first, then the
 * more specific codes real EHRs send in its place. The same table serves DSTU2, STU3 and R4, and a
 * code is matched in a coding of LOINC's system or of none (servers vary its spelling or leave it out;
 * values.ts loincCodes); a coding of another system is never read as LOINC.
 *
 * Sources: the vital signs profiles of each release — DSTU2 Argonaut Data Query vital signs
 * (http://fhir.org/guides/argonaut/r2/StructureDefinition-argo-vitalsigns.html), STU3
 * https://hl7.org/fhir/stu3/observation-vitalsigns.html, R4 https://hl7.org/fhir/R4/observation-vitalsigns.html
 * (R4: "other codes that are more specific may be used" beside the profile's fixed code) — and
 * LOINC (https://loinc.org) for the specific codes: the site of a temperature, the method of a
 * pulse or an oxygen saturation, the position of a blood pressure or a height, measured body weight.
 *
 * Left out on purpose: stated (self-reported) weight 3142-7 and height 3138-5, BMI percentile
 * 59574-4 (a percentile, not a BMI), venous and cord-blood oxygen saturations (not SpO2), mean
 * arterial pressure 8478-0, fetal heart rate, and 24-hour minimum/maximum aggregates.
 */
export const VITAL_CODES: Readonly<Record<VitalCodeKind, Readonly<Record<string, string>>>> = {
  heartRate: {
    '8867-4': 'Heart rate (profile code, all releases)',
    '8889-8': 'Heart rate by Pulse oximetry',
    '8893-0': 'Heart rate Peripheral artery by Palpation',
  },
  respiratoryRate: {
    '9279-1': 'Respiratory rate (profile code, all releases)',
  },
  temperature: {
    '8310-5': 'Body temperature (profile code, all releases)',
    '8331-1': 'Oral temperature',
    '8328-7': 'Axillary temperature',
    '8333-7': 'Tympanic membrane temperature',
    '8332-9': 'Rectal temperature',
    '8329-5': 'Body temperature - Core',
    '60836-4': 'Esophageal temperature',
  },
  spo2: {
    '2708-6': 'Oxygen saturation in Arterial blood (R4 profile code)',
    '59408-5': 'Oxygen saturation in Arterial blood by Pulse oximetry (DSTU2 Argonaut, STU3 profile code)',
    '2710-2': 'Oxygen saturation in Capillary blood by Oximetry',
  },
  weight: {
    '29463-7': 'Body weight (profile code, all releases)',
    '3141-9': 'Body weight Measured',
  },
  height: {
    '8302-2': 'Body height (profile code, all releases)',
    '8306-3': 'Body height --lying (body length)',
    '8308-9': 'Body height --standing',
    '3137-7': 'Body height Measured',
  },
  bmi: {
    '39156-5': 'Body mass index (BMI) [Ratio] (profile code, all releases)',
  },
  bpPanel: {
    '85354-9': 'Blood pressure panel with all children optional (STU3 3.0, R4 profile code)',
    '55284-4': 'Blood pressure systolic and diastolic (DSTU2 Argonaut profile code)',
    '35094-2': 'Blood pressure panel',
  },
  systolic: {
    '8480-6': 'Systolic blood pressure (profile component, all releases)',
    '8459-0': 'Systolic blood pressure --sitting',
    '8460-8': 'Systolic blood pressure --standing',
    '8461-6': 'Systolic blood pressure --supine',
    '76534-7': 'Systolic blood pressure by Noninvasive',
  },
  diastolic: {
    '8462-4': 'Diastolic blood pressure (profile component, all releases)',
    '8453-3': 'Diastolic blood pressure --sitting',
    '8454-1': 'Diastolic blood pressure --standing',
    '8455-8': 'Diastolic blood pressure --supine',
    '76535-4': 'Diastolic blood pressure by Noninvasive',
  },
};

/** Code → kind, built from the table above (a Map: a code such as "constructor" is no kind). */
export const KIND_OF_CODE: ReadonlyMap<string, VitalCodeKind> = new Map(
  Object.entries(VITAL_CODES).flatMap(([kind, codes]) => Object.keys(codes).map((code) => [code, kind as VitalCodeKind] as const)),
);
