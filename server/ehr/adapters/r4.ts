import { createAdapter } from './patient.js';

/** R4 and R4B. */
export const r4 = createAdapter({
  mimeType: 'application/fhir+json',
  mrnTypeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  familyContainsParam: 'family',
  sortSyntax: 'comma',
  generalPractitionerField: 'generalPractitioner',
});
