import { createAdapter } from './patient.js';

export const dstu2 = createAdapter({
  mimeType: 'application/json+fhir',
  sortSyntax: 'modifier',
  generalPractitionerField: 'careProvider',
});
