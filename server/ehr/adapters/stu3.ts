import { createAdapter } from './patient.js';

/** The Patients contract defines STU3 `family` with "contains" semantics, so no modifier. */
export const stu3 = createAdapter({
  mimeType: 'application/fhir+json',
  mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  familyContainsParam: 'family',
  sortSyntax: 'comma',
  generalPractitionerField: 'generalPractitioner',
});
