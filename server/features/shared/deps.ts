import type { EhrGateway } from '../../ehr/types.js';
import type { MembershipDirectory } from '../../identity/membership.js';
import type { HeldItems } from '../../platform/held-items.js';
import type { AuditingTeamStore } from '../../storage/ports.js';
import type { endpoints } from './endpoint.js';

/**
 * What the API's use cases work with: the team store (which keeps the audit trail), the EHR, who
 * belongs to which team, and where download tickets and uploads wait between requests (shared
 * by every instance when given; this process's memory otherwise).
 */
export interface ApiDeps {
  store: AuditingTeamStore;
  ehr: EhrGateway;
  membership: MembershipDirectory;
  heldItems?: HeldItems;
}

export type Endpoints = ReturnType<typeof endpoints>;
