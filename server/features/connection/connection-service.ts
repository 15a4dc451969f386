import type { Connection, ConnectionBody } from '../../../contract/connection.js';
import type { TeamKey } from '../../storage/ports.js';
import { onCommit } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';

/** The team's link to its EHR (or Manual mode). */

export async function getConnection({ store }: ApiDeps, team: TeamKey): Promise<Connection> {
  return store.getConnection(team);
}

/** Sets the link; an EHR link is checked for real first, and kept with what the check found. */
export async function setConnection({ store, ehr }: ApiDeps, team: TeamKey, body: ConnectionBody, userId: string): Promise<Connection> {
  let connection: Connection;
  if (body.mode === 'ehr') {
    const url = body.url.replace(/\/+$/, '');
    const found = await ehr.check(url, team.tenantId);
    connection = { mode: 'ehr', url, name: body.name, fhirVersion: found.fhirVersion, auth: found.auth, resources: found.resources };
  } else {
    connection = { mode: 'manual' };
  }
  const { value } = await store.setConnection(team, connection, userId, onCommit('EHRConnectionSet'));
  return value;
}
