import type { VersionAdapter } from './adapters/index.js';
import type { ServerInfo } from './discovery.js';
import type { FhirHttp, TokenSource } from './fhir-http.js';
import type { ReadBudget } from './read-budget.js';
import type { ClinicalWarning } from './clinical/types.js';

/** Everything a patient service needs for one call to one EHR. */
export interface EhrContext {
  server: ServerInfo;
  adapter: VersionAdapter;
  http: FhirHttp;
  /** Absent for an open server. */
  token?: TokenSource;
  mrnSystem?: string;
  /** What this server turned out not to support, shared by all calls to it. */
  quirks?: SearchQuirks;
  /** Entries per batch Bundle (clinical reads); default 100. */
  batchSize?: number;
  /** Requests in flight at once per read; default 4. */
  parallelRequests?: number;
  /** What this call may read in all (bytes, Bundle entries); `http` counts the bytes. */
  budget?: ReadBudget;
  /** Where warnings of reads outside readClinical go (codes and counts only). */
  onWarnings?: (warnings: ClinicalWarning[]) => void;
}

/** Search features a server turned out not to support, remembered per base URL. */
export interface SearchQuirks {
  noPostSearch?: boolean;
  noContains?: boolean;
  noSort?: boolean;
  /** `_sort` by date rejected or ignored in clinical searches (kept apart: Patient sorts by name). */
  noDateSort?: boolean;
  /** `_include` rejected in clinical searches. */
  noInclude?: boolean;
}
