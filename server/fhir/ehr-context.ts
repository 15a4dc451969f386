import type { VersionAdapter } from './adapters/index.js';
import type { ServerInfo } from './discovery.js';
import type { FhirHttp, TokenSource } from './fhir-http.js';

/** Everything a patient service needs for one call to one EHR. */
export interface EhrContext {
  server: ServerInfo;
  adapter: VersionAdapter;
  http: FhirHttp;
  /** Absent for an open server. */
  token?: TokenSource;
  mrnSystem?: string;
}

/** Search features a server turned out not to support, remembered per base URL. */
export interface SearchQuirks {
  noPostSearch?: boolean;
  noContains?: boolean;
  noSort?: boolean;
}
