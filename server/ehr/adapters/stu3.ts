import { createAdapter } from './patient.js';

export const stu3 = createAdapter({
  mimeType: 'application/fhir+json',
  sortSyntax: 'comma',
  generalPractitionerField: 'generalPractitioner',
});
