/**
 * One patient as the tab shows it in search results and list rows, whatever the FHIR version:
 * the API's own shape (`contract/patients.ts`). A leaf module, so the EHR's types and its clinical
 * types can both use it without importing each other.
 */
export type { PatientSummary } from '../../contract/patients.js';
