import { createAdapter } from './patient.js';

/** R4 and R4B. */
export const r4 = createAdapter({
  mimeType: 'application/fhir+json',
  sortSyntax: 'comma',
  generalPractitionerField: 'generalPractitioner',
});
