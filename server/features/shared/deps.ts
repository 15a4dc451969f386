import type { EhrGateway } from '../../ehr/types.js';
import type { MembershipDirectory } from '../../identity/membership.js';
import type { AuditingTeamStore } from '../../storage/ports.js';
import type { endpoints } from './endpoint.js';

/** What the API's use cases work with: the team store (which keeps the audit trail), the EHR, and who belongs to which team. */
export interface ApiDeps {
  store: AuditingTeamStore;
  ehr: EhrGateway;
  membership: MembershipDirectory;
}

export type Endpoints = ReturnType<typeof endpoints>;
