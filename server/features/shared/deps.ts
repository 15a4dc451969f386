import type { EhrGateway } from '../../ehr/types.js';
import type { AuditingTeamStore } from '../../storage/ports.js';
import type { endpoints } from './endpoint.js';

/** What the API's use cases work with: the team store (which keeps the audit trail) and the EHR. */
export interface ApiDeps {
  store: AuditingTeamStore;
  ehr: EhrGateway;
}

export type Endpoints = ReturnType<typeof endpoints>;
