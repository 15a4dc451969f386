import { createAdapter } from './patient.js';

export const dstu2 = createAdapter({
  mimeType: 'application/json+fhir',
  familyContainsParam: 'family:contains',
  sortSyntax: 'modifier',
  generalPractitionerField: 'careProvider',
});
