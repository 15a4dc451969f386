import { isDeepStrictEqual } from 'node:util';
import type { AuditOperation } from '../../../contract/audit.js';
import type { ListColumn } from '../../../contract/columns.js';
import { fhirId, uuid } from '../../../contract/ids.js';
import { MAX_PATIENTS_PER_LIST, type DefaultListAnswer, type ListSummary, type MoveAnswer, type PatchListBody } from '../../../contract/lists.js';
import { Problem } from '../../platform/problem.js';
import type { AddedPatients, DeletedList, MovedPatient, StoredList, TeamKey } from '../../storage/ports.js';
import { allOf, onCommit, recordFailedAfterRead, recordPartialRead, recordRead, refusalNames, type NotGiven } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems, valueOf } from '../shared/outcomes.js';
import { ehrLinkOf } from '../shared/team-connection.js';
import { checkColumns } from './columns.js';

/** A team's patient lists: the rules, whatever the transport. Each use case records its own audit events. */

/** The list by its id, or 404 `list_not_found`; malformed ids are simply unknown lists. */
export async function findList({ store }: ApiDeps, team: TeamKey, listId: string): Promise<StoredList> {
  const list = uuid.safeParse(listId).success ? await store.getList(team, listId) : null;
  if (!list) throw problems.listNotFound();
  return list;
}

/**
 * A list about to be shown, with the records of its read (naming every patient read: at most
 * MAX_PATIENTS_PER_LIST, never those past it, see StoredList.beyondLimit) still to be
 * committed: `sendListView` commits them before any of the list goes out. Patients whose rows go
 * out without their data (the EHR failed, or gave nothing for them: list-view.ts rowsNotGiven) are
 * recorded as failures with the status of why: in the read's records when they are known before
 * anything went out (`failed`), or appended after them (`recordFailed`) once the first rows had gone out.
 */
export interface ListToShow {
  list: StoredList;
  recordRead(failed?: readonly FailedRows[]): Promise<void>;
  recordFailed(failed: FailedRows): Promise<void>;
}

/** The patients whose rows went out without their data, and the HTTP status of why (list-view.ts rowsNotGiven). */
export type FailedRows = NotGiven;

export function viewList({ store }: ApiDeps, list: StoredList): ListToShow {
  const details = { listId: list.id, patientIds: list.patientIds };
  return {
    list,
    recordRead: (failed) =>
      failed ? recordPartialRead(store.audit, 'PatientListView', { ...details, failed }) : recordRead(store.audit, 'PatientListView', details),
    recordFailed: (failed) =>
      recordFailedAfterRead(store.audit, 'PatientListView', { listId: list.id, patientIds: failed.patientIds, status: failed.status }),
  };
}

export async function listLists({ store }: ApiDeps, team: TeamKey, userId: string): Promise<ListSummary[]> {
  const [found, defaultId] = await Promise.all([store.listLists(team), store.defaultListId(team, userId)]);
  return found.map((l) => ({ ...l, isDefault: l.id === defaultId }));
}

export async function createList({ store }: ApiDeps, team: TeamKey, name: string, userId: string): Promise<ListSummary> {
  const value = valueOf(
    await store.createList(
      team,
      name,
      userId,
      onCommit('PatientListCreate', (c) => ({ listId: c.id, status: 201 })),
    ),
  );
  return { ...value, isDefault: false };
}

/** What a change of a list is, by the fields it sends: a rename, new columns, or both. */
export function patchOperations(body: { name?: unknown; columns?: unknown }): AuditOperation[] {
  const ops: AuditOperation[] = [];
  if (body.name !== undefined) ops.push('PatientListRename');
  if (body.columns !== undefined) ops.push('PatientListEditColumns');
  // A body not read (refused before it was) or naming neither: either change may have been meant.
  return ops.length ? ops : ['PatientListRename', 'PatientListEditColumns'];
}

/**
 * Renames a list and/or sets its columns, against the version the caller read (412 when someone
 * changed it since); the list afterwards, to be shown.
 */
export async function updateList(
  deps: ApiDeps,
  team: TeamKey,
  listId: string,
  body: PatchListBody,
  expectedVersion: number | undefined,
): Promise<ListToShow> {
  const { store } = deps;
  const stored = await findList(deps, team, listId);
  // Columns must fit the team's mode and Manual-mode schema: an unknown one would break every member's tab.
  let columns: ListColumn[] | undefined;
  if (body.columns) {
    const [connection, schema] = await Promise.all([store.getConnection(team), store.getSchema(team)]);
    columns = checkColumns(body.columns, connection.mode, schema?.fields ?? []);
  }
  // Only what differs is changed and recorded: a name or columns sent as they are change nothing
  // (at the version read, nothing at all: the list is shown as it is, its version kept).
  const change = {
    name: body.name !== stored.name ? body.name : undefined,
    columns: columns && !isDeepStrictEqual(columns, stored.columns) ? columns : undefined,
  };
  const unchanged = change.name === undefined && change.columns === undefined;
  if (unchanged && (expectedVersion === undefined || expectedVersion === stored.version)) return viewList(deps, stored);
  const audit = allOf(...patchOperations(unchanged ? body : change).map((op) => onCommit<StoredList>(op)));
  const updated = valueOf(await store.updateList(team, stored.id, unchanged ? { name: body.name, columns } : change, expectedVersion, audit));
  return viewList(deps, updated);
}

/** Deletes a list; its records name the patients it held as the store deleted it (an empty list: one record naming none). */
export async function deleteList(deps: ApiDeps, team: TeamKey, listId: string): Promise<void> {
  const stored = await findList(deps, team, listId);
  valueOf(
    await deps.store.deleteList(
      team,
      stored.id,
      onCommit('PatientListDelete', (deleted: DeletedList) => ({ patientIds: deleted.patientIds, status: 204 })),
    ),
  );
}

/** The list the tab opens on for the caller. */
export async function setDefaultList({ store }: ApiDeps, team: TeamKey, userId: string, listId: string): Promise<DefaultListAnswer> {
  valueOf(
    await store.setDefaultList(
      team,
      userId,
      listId,
      onCommit('PatientListSetDefault', () => ({ listId })),
    ),
  );
  return { listId };
}

/**
 * Adds patients to a list: only patients the team's EHR (or, in Manual mode, the team itself)
 * knows; those already on it are skipped. The list afterwards, to be shown. The records name the
 * patients the store added (not those already on it, or added first by someone else at the same
 * time): none added, no record of an addition.
 */
export async function addPatients(deps: ApiDeps, team: TeamKey, listId: string, patientIds: string[], userId: string): Promise<ListToShow> {
  const { store, ehr } = deps;
  const list = await findList(deps, team, listId);
  const fresh = [...new Set(patientIds)].filter((id) => !list.patientIds.includes(id));
  // A refusal's records name every patient the call tried to add.
  refusalNames(fresh);
  // Before the EHR is asked; the store checks again as it adds. Patients past the limit (added outside the app) count.
  if (list.patientIds.length + (list.beyondLimit ?? 0) + fresh.length > MAX_PATIENTS_PER_LIST) throw problems.listFull();
  const manual = (await store.getConnection(team)).mode === 'manual';
  const found = manual ? await store.getManualPatients(team, fresh) : await ehr.readPatients(await ehrLinkOf(store, team), team.tenantId, fresh);
  const known = new Set(found.map((p) => p.id));
  const unknown = fresh.filter((id) => !known.has(id));
  if (unknown.length) throw problems.patientNotFound(unknown);
  const { added: _added, ...updated } = valueOf(
    await store.addPatients(
      team,
      list.id,
      fresh,
      userId,
      onCommit('PatientListAddPatient', (result: AddedPatients) => (result.added.length ? { patientIds: result.added } : null)),
    ),
  );
  return viewList(deps, updated);
}

/** Takes a patient off a list; the ids as the path gave them (an unknown list is a 404 before a malformed patient id is a 400). */
export async function removePatient(deps: ApiDeps, team: TeamKey, listId: string, pathPatientId: string): Promise<void> {
  const list = await findList(deps, team, listId);
  const patientId = fhirId.parse(pathPatientId);
  valueOf(
    await deps.store.removePatient(
      team,
      list.id,
      patientId,
      onCommit('PatientListRemovePatient', () => ({ patientIds: [patientId], status: 204 })),
    ),
  );
}

/**
 * Moves a patient to another list of the team, in one change; recorded as a move on the list it
 * leaves and, when the store put the patient on the list it joins (not when that list held them already), an addition there.
 */
export async function movePatient(
  deps: ApiDeps,
  team: TeamKey,
  listId: string,
  pathPatientId: string,
  toListId: string,
  userId: string,
): Promise<MoveAnswer> {
  const list = await findList(deps, team, listId);
  const patientId = fhirId.parse(pathPatientId);
  if (toListId === list.id) throw new Problem('validation_failed', 'The list to move the patient to must be another list.', ['toListId']);
  valueOf(
    await deps.store.movePatient(
      team,
      list.id,
      toListId,
      patientId,
      userId,
      // The move, on the list it leaves, and the list it joins, as an addition to that list.
      allOf<MovedPatient>(
        onCommit('PatientListMovePatient', () => ({ patientIds: [patientId] })),
        onCommit('PatientListAddPatient', (moved) => (moved.added ? { patientIds: [patientId], listId: toListId } : null)),
      ),
    ),
  );
  return { fromListId: list.id, toListId, patientId };
}
