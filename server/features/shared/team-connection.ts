import type { Connection, TeamKey, TeamStore } from '../../storage/ports.js';
import { problems } from './outcomes.js';

/** The team's EHR link, or a clear refusal when the team is not in EHR mode. */
export async function ehrLinkOf(store: TeamStore, team: TeamKey): Promise<string> {
  return ehrLinkIn(await store.getConnection(team));
}

/** The EHR link of a connection already read, or the refusal unless it is one. */
export function ehrLinkIn(connection: Connection): string {
  if (connection.mode !== 'ehr') throw problems.notEhrMode();
  return connection.url;
}

/** A refusal unless the team is in Manual mode. */
export async function requireManualMode(store: TeamStore, team: TeamKey): Promise<void> {
  if ((await store.getConnection(team)).mode !== 'manual') throw problems.notManualMode();
}
