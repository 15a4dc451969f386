import type { EhrGateway } from '../fhir/types.js';
import type { AuditingTeamStore } from '../lists/store.js';
import type { endpoints } from './endpoint.js';

/** What the API's use cases work with: the team store (which keeps the audit trail) and the EHR. */
export interface ApiDeps {
  store: AuditingTeamStore;
  ehr: EhrGateway;
}

export type Endpoints = ReturnType<typeof endpoints>;
