import { isObject, list, objects, str } from '../json.js';
import { markSeverity, type VitalInterpretation } from '../../../contract/vital-ranges.js';
import { lookupTable } from '../../../contract/lookup-table.js';

/**
 * The EHR's own interpretation of a vital sign (Observation.interpretation: DSTU2 and STU3 a
 * CodeableConcept 0..1, R4 0..*; on a component too from STU3), from the codes of HL7 v2 table
 * 0078, Abnormal Flags (DSTU2 and STU3 http://hl7.org/fhir/v2/0078; R4 the same codes in
 * http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, also read under
 * http://terminology.hl7.org/CodeSystem/v2-0078), or a coding without a system:
 * H high, HU ("significantly high") high, HH critical high; L low, LU low, LL critical low;
 * A abnormal, AA critical abnormal. N (normal) and every other code are no mark; `<` and `>`
 * (off scale) are left to the value's comparator. Sources: https://hl7.org/fhir/DSTU2/valueset-observation-interpretation.html,
 * https://hl7.org/fhir/STU3/valueset-observation-interpretation.html, https://hl7.org/fhir/R4/valueset-observation-interpretation.html.
 */
const SYSTEMS = new Set([
  'http://hl7.org/fhir/v2/0078',
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
]);
const CODES: Readonly<Record<string, VitalInterpretation>> = lookupTable({
  H: 'high',
  HU: 'high',
  HH: 'criticalHigh',
  L: 'low',
  LU: 'low',
  LL: 'criticalLow',
  A: 'abnormal',
  AA: 'criticalAbnormal',
});

/** The most severe interpretation of the CodeableConcepts given (each one or an array of them); the first of equals. */
export function interpretationOf(...concepts: unknown[]): VitalInterpretation | undefined {
  let found: VitalInterpretation | undefined;
  for (const concept of concepts.flatMap(list)) {
    if (!isObject(concept)) continue;
    for (const coding of objects(concept.coding)) {
      const system = str(coding.system);
      const code = typeof coding.code === 'string' ? coding.code.trim() : '';
      if ((system !== undefined && !SYSTEMS.has(system)) || !Object.hasOwn(CODES, code)) continue;
      if (markSeverity(CODES[code]) > markSeverity(found)) found = CODES[code];
    }
  }
  return found;
}

/** The most severe of several interpretations; undefined when none. */
export const mostSevere = (...marks: (VitalInterpretation | undefined)[]): VitalInterpretation | undefined =>
  marks.reduce<VitalInterpretation | undefined>((a, b) => (markSeverity(b) > markSeverity(a) ? b : a), undefined);

/** The interpretation as a reading carries it: absent when there is none. */
export const interpretationMark = (interpretation: VitalInterpretation | undefined) => (interpretation ? { interpretation } : {});
