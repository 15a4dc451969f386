import { appResourceTypes, changesSource, sourceChangeImpact, type Connection, type ConnectionBody } from '../../../contract/connection.js';
import { Problem } from '../../platform/problem.js';
import type { TeamKey } from '../../storage/ports.js';
import { onCommit } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';

/** The team's link to its EHR (or Manual mode). */

const APP_RESOURCE_TYPES: ReadonlySet<string> = new Set(appResourceTypes);

/**
 * Of what a check found, the resource types the app reads, each once. A link checked before
 * checks kept only these may have stored every type its EHR listed (up to a million made-up
 * ones): it is answered with these only.
 */
function keptResources(resources: readonly unknown[] | undefined): string[] {
  const types = Array.isArray(resources) ? resources : [];
  return [...new Set(types.filter((type): type is string => typeof type === 'string' && APP_RESOURCE_TYPES.has(type)))];
}

export async function getConnection({ store }: ApiDeps, team: TeamKey): Promise<Connection> {
  const connection = await store.getConnection(team);
  return connection.mode === 'ehr' ? { ...connection, resources: keptResources(connection.resources) } : connection;
}

/**
 * Refuses a change of the patients' source that was not confirmed while the team's lists hold
 * patients: the new source may not know them, so the caller must have seen what happens to them.
 * Checked before an EHR link is tried, so nothing is sent anywhere for a refused change.
 */
async function requireConfirmedChange({ store }: ApiDeps, team: TeamKey, body: ConnectionBody): Promise<void> {
  if (body.confirm) return;
  if (!changesSource(await store.getConnection(team), body)) return;
  const { lists, patients } = sourceChangeImpact(await store.listLists(team));
  if (patients === 0) return;
  throw new Problem(
    'precondition_failed',
    `The team's lists hold patients from the current source (${lists} ${lists === 1 ? 'list' : 'lists'} with ${patients} ${patients === 1 ? 'patient' : 'patients'}); ` +
      'the new source may not be able to show them. Send the change again with "confirm": true to make it.',
  );
}

/** Sets the link; an EHR link is checked for real first, and kept with what the check found. */
export async function setConnection(deps: ApiDeps, team: TeamKey, body: ConnectionBody, userId: string): Promise<Connection> {
  const { store, ehr } = deps;
  await requireConfirmedChange(deps, team, body);
  let connection: Connection;
  if (body.mode === 'ehr') {
    const url = body.url.replace(/\/+$/, '');
    const found = await ehr.check(url, team.tenantId);
    connection = { mode: 'ehr', url, name: body.name, fhirVersion: found.fhirVersion, auth: found.auth, resources: keptResources(found.resources) };
  } else {
    connection = { mode: 'manual' };
  }
  const { value } = await store.setConnection(team, connection, userId, onCommit('EHRConnectionSet'));
  return value;
}
