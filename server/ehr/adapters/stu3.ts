import { createAdapter } from './patient.js';

/** The Patients contract defines STU3 `family` with "contains" semantics, so no modifier. */
export const stu3 = createAdapter({
  mimeType: 'application/fhir+json',
  familyContainsParam: 'family',
  sortSyntax: 'comma',
  generalPractitionerField: 'generalPractitioner',
});
