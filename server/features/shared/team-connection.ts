import { Problem } from '../../platform/problem.js';
import type { TeamKey, TeamStore } from '../../storage/ports.js';

/** The team's EHR link, or a clear refusal when the team is not in EHR mode. */
export async function ehrLinkOf(store: TeamStore, team: TeamKey): Promise<string> {
  const connection = await store.getConnection(team);
  if (connection.mode !== 'ehr') {
    throw new Problem('not_ehr_mode', 'This team is not connected to an EHR. A team owner can connect it in the settings.');
  }
  return connection.url;
}
