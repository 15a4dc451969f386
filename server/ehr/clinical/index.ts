export * from './types.js';
export { readClinical, readPatientDetails, DETAIL_MAX_PAGES, type WarningReport } from './read-clinical.js';
export { DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL_REQUESTS } from './batch.js';
