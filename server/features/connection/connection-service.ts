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
 * patients: their entries belong to the current source and are taken off by the change, and the
 * notes written under it are no longer shown, so the caller must have seen that. Checked before
 * an EHR link is tried, so nothing is sent anywhere for a refused change.
 *
 * A connection that reads `unset` while the team has data (lists holding patients, hand-entered
 * patients, admitted or discharged) is a source no one knows: its setting was changed outside the
 * app (a settings row edited in SharePoint is not used) or lost. Any source set then is a change
 * of source, refused unconfirmed as one. A team with no data sets its first source unconfirmed.
 */
async function requireConfirmedChange(deps: ApiDeps, team: TeamKey, body: ConnectionBody, current: Connection): Promise<void> {
  if (body.confirm) return;
  if (current.mode === 'unset') {
    const held = await teamData(deps, team);
    if (held.patients === 0 && held.manualPatients === 0) return;
    throw new Problem('precondition_failed', unknownSourceMessage(held));
  }
  if (!changesSource(current, body)) return;
  const { lists, patients } = sourceChangeImpact(await deps.store.listLists(team));
  if (patients === 0) return;
  throw new Problem('precondition_failed', sourceChangeMessage(lists, patients));
}

/** What the team holds that belongs to some source: lists' patients (in counts), and its hand-entered patients, admitted or discharged. */
async function teamData({ store }: ApiDeps, team: TeamKey): Promise<{ lists: number; patients: number; manualPatients: number }> {
  const [lists, admitted, discharged] = await Promise.all([store.listLists(team), store.getManualPatients(team), store.getDischargedPatients(team)]);
  return { ...sourceChangeImpact(lists), manualPatients: admitted.length + discharged.length };
}

/** The 412's words when the team's current source cannot be told (its connection reads `unset`) and the team has data. */
export function unknownSourceMessage({ lists, patients, manualPatients }: { lists: number; patients: number; manualPatients: number }): string {
  const held = [
    ...(patients ? [`${lists} ${lists === 1 ? 'list' : 'lists'} with ${patients} ${patients === 1 ? 'patient' : 'patients'}`] : []),
    ...(manualPatients ? [`${manualPatients} hand-entered ${manualPatients === 1 ? 'patient' : 'patients'}`] : []),
  ].join(' and ');
  return (
    `The team's connection setting cannot be read (it was changed outside the app), so the source of the team's data (${held}) is not known. ` +
    'Setting a source is taken as a change of source: it takes every patient off the lists (the lists, their names and columns are kept), ' +
    "and the notes written until now are kept in the team's data but no longer shown. " +
    'Send the change again with "confirm": true to make it.'
  );
}

/** The 412's words: what a change of source does to the team's lists and notes, in counts (never a patient's id). */
export function sourceChangeMessage(lists: number, patients: number): string {
  const held = `${lists} ${lists === 1 ? 'list' : 'lists'} with ${patients} ${patients === 1 ? 'patient' : 'patients'}`;
  return (
    `The team's lists hold patients from the current source (${held}). ` +
    `Changing the source takes ${patients === 1 ? 'this patient' : `these ${patients} patients`} off the lists (the lists, their names and columns are kept), ` +
    "and the notes written under the current source are kept in the team's data but no longer shown. " +
    'Send the change again with "confirm": true to make it.'
  );
}

/**
 * Takes every patient off the team's lists after a change of source: the entries are ids of the
 * old source, which the new one may give to someone else. The lists themselves, their names and
 * columns, and everyone's default list stay. Each removal goes through the store and is recorded
 * as a removal of that patient from that list (as `DELETE …/lists/{listId}/patients/{patientId}`
 * records it), with the status of this call. A patient someone took off meanwhile is skipped.
 */
async function emptyLists({ store }: ApiDeps, team: TeamKey): Promise<void> {
  for (const summary of await store.listLists(team)) {
    if (!summary.patientCount) continue;
    // A read gives MAX_PATIENTS_PER_LIST patients at most: a list holding more (added outside the
    // app) is read again once they are off, until no more are left, or a round took no one off.
    let list = await store.getList(team, summary.id);
    while (list?.patientIds.length) {
      let removed = 0;
      for (const patientId of list.patientIds) {
        const outcome = await store.removePatient(
          team,
          summary.id,
          patientId,
          onCommit('PatientListRemovePatient', () => ({ patientIds: [patientId], listId: summary.id, status: 200 })),
        );
        if (outcome.ok) removed += 1;
      }
      list = list.beyondLimit && removed ? await store.getList(team, summary.id) : null;
    }
  }
}

/**
 * Sets the link; an EHR link is checked for real first, and kept with what the check found. A
 * change of source (`changesSource`, or any setting over a connection that reads `unset`) stamps
 * the connection with `sourceSince` (the notes written before it are not shown from then on) and
 * empties the team's lists, each removal recorded; a setting that keeps the source (a new name
 * for the same link, a check of it again) keeps the stamp it had.
 */
export async function setConnection(deps: ApiDeps, team: TeamKey, body: ConnectionBody, userId: string): Promise<Connection> {
  const { store, ehr } = deps;
  // EHR calls are made under the base alone: a query or fragment kept with it would never be sent.
  if (body.mode === 'ehr' && /[?#]/.test(body.url)) {
    throw new Problem('validation_failed', "A FHIR server's address has no query (?…) or fragment (#…).", ['url']);
  }
  const current = await store.getConnection(team);
  await requireConfirmedChange(deps, team, body, current);
  let connection: Connection;
  if (body.mode === 'ehr') {
    const url = body.url.replace(/\/+$/, '');
    const found = await ehr.check(url, team.tenantId);
    connection = { mode: 'ehr', url, name: body.name, fhirVersion: found.fhirVersion, auth: found.auth, resources: keptResources(found.resources) };
  } else {
    connection = { mode: 'manual' };
  }
  // Read again after the check (which takes a while): the stamp and the change are judged against the connection as it is now.
  const before = await store.getConnection(team);
  // A connection that reads `unset` tells no source: whatever the team kept (notes, lists' entries)
  // may be another source's, so setting one is a change of source. On a team with no data it takes
  // nothing off and hides nothing (no note can be written before a team's first source).
  const changed = before.mode === 'unset' || changesSource(before, body);
  const since = changed ? new Date().toISOString() : before.sourceSince;
  if (since !== undefined) connection = { ...connection, sourceSince: since };
  // Emptied before the new source is kept, so a change that fails half-way is still a change when
  // sent again; and once more after, for an addition checked against the old source meanwhile.
  if (changed) await emptyLists(deps, team);
  const { value } = await store.setConnection(team, connection, userId, onCommit('EHRConnectionSet'));
  if (changed) await emptyLists(deps, team);
  return value;
}
