import type { Release } from './clinical-records.js';

/** A vital-sign Observation of patient p1 as the release writes it (DSTU2 category a CodeableConcept, then an array). */
export function vitalObservation(
  release: Release,
  code: string,
  time: string | undefined,
  value: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const category = {
    coding: [
      {
        system: release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/observation-category' : 'http://hl7.org/fhir/observation-category',
        code: 'vital-signs',
      },
    ],
  };
  return {
    resourceType: 'Observation',
    status: 'final',
    category: release === 'DSTU2' ? category : [category],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: 'Patient/p1' },
    ...(time === undefined ? {} : { effectiveDateTime: time }),
    ...value,
    ...extra,
  };
}
