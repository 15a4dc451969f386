import { createAdapter } from './patient.js';

export const dstu2 = createAdapter({
  mimeType: 'application/json+fhir',
  mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  familyContainsParam: 'family:contains',
  sortSyntax: 'modifier',
  generalPractitionerField: 'careProvider',
});
