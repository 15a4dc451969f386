export * from './types.js';
export { readClinical, readPatientDetails } from './read-clinical.js';
