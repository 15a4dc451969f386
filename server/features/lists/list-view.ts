import type { Response } from 'express';
import { ClinicalRows, type Cell, type EhrGateway, type PatientClinical } from '../../ehr/index.js';
import { toProblem } from '../../platform/error-handler.js';
import { logger } from '../../platform/logger.js';
import { fieldValue } from '../../../contract/manual.js';
import { writtenUnderSource, type Connection } from '../../../contract/connection.js';
import { cellsFor, partsFor, summaryColumns, vitalKindsFor } from './list-cells.js';
import type { Note, StoredList, TeamKey, TeamStore } from '../../storage/ports.js';
import type { ListRow as ContractListRow, ListView as ContractListView } from '../../../contract/lists.js';
import type { FailedRows, ListToShow } from './list-service.js';
import { CLIENT_CLOSED_REQUEST } from '../shared/audit-trail.js';
import { problemStatuses } from '../../../contract/errors.js';

/**
 * A row and a list as the API answers them (contract/lists.ts); cells are built column by column
 * and checked against the contract's cell of each column in the API suites.
 */
export type ListRow = Omit<ContractListRow, 'cells'> & { cells: Record<string, Cell<unknown>> };
export type ListView = Omit<ContractListView, 'rows'> & { rows: ListRow[] };

/**
 * A list as the tab shows it: the stored ids with live EHR data for its columns, read in batches.
 * Rows complete before the last batch is in are handed to `onRow` as they are built.
 */
export async function buildListView(
  store: TeamStore,
  ehr: EhrGateway,
  team: TeamKey,
  list: StoredList,
  onRow?: (row: ListRow) => void,
  /**
   * Work that waits on the disk, run at once when there is no EHR read (Manual mode, an empty
   * list). With an EHR read it is not run here: the read's record waits until its outcome is
   * known for the rows that go out (sendListView).
   */
  meanwhile?: () => void,
): Promise<ListView> {
  const connection = await store.getConnection(team);
  if (connection.mode === 'manual' || !list.patientIds.length) meanwhile?.();
  if (connection.mode === 'manual') return manualListView(store, team, list, connection);
  let ehrError: ListView['ehrError'];
  // The team's notes are read while the EHR answers: after the first requests have gone out.
  let latest: Map<string, Note> | undefined;
  const notes = list.columns.includes('latestNote')
    ? new Promise((resolve) => setImmediate(resolve)).then(() => latestNotesUnder(store, team, list.patientIds, connection))
    : Promise.resolve(new Map<string, Note>());
  notes.then(
    (read) => (latest = read),
    () => undefined,
  );
  const built = new Map<string, ListRow>();
  const build = (clinical: PatientClinical, notesRead: Map<string, Note>) => {
    const row = ehrRow(list, clinical, notesRead.get(clinical.patient.id));
    built.set(row.patientId, row);
    return row;
  };
  // Rows complete before the last batch is in are built while the rest is read.
  const buildEarly = (clinical: PatientClinical) => {
    if (latest) onRow?.(build(clinical, latest));
  };
  let found = new ClinicalRows();
  if (connection.mode === 'ehr' && list.patientIds.length) {
    const reading = ehr.readClinical(connection.url, team.tenantId, list.patientIds, partsFor(list.columns), buildEarly, vitalKindsFor(list.columns));
    try {
      found = await reading;
    } catch (err) {
      const problem = toProblem(err);
      logger.warn({ code: problem.code }, 'list rows could not be read from the EHR');
      ehrError = { code: problem.code, message: problem.message };
    }
  }
  const notesRead = await notes;
  for (const clinical of found.values()) if (!built.has(clinical.patient.id)) build(clinical, notesRead);
  const unavailable = { status: 'unavailable', reason: 'failed' } as const;
  const handEntered = await handEnteredOf(
    store,
    team,
    list.patientIds.filter((id) => !built.has(id)),
  );
  // Only a patient the EHR said it does not have (its entry's status, in the read itself) is gone;
  // one it failed to give is not, and with the EHR failing no row is.
  const gone = ehrError ? new Set<string>() : found.gone;
  const rows = list.patientIds.map((patientId): ListRow => {
    const row = built.get(patientId);
    if (row) return row;
    const cells = Object.fromEntries(list.columns.filter((c) => !summaryColumns.has(c)).map((c) => [c, unavailable]));
    // A patient entered by hand in Manual mode is no longer the team's source's.
    const own = handEntered.has(patientId) ? { handEntered: true } : {};
    const reason = handEntered.has(patientId) || gone.has(patientId) ? 'gone' : 'failed';
    return { patientId, displayName: null, mrn: null, birthDate: null, gender: null, available: false, ...own, unavailable: reason, cells };
  });
  return { ...headOf(list), rows, ...(ehrError ? { ehrError } : {}) };
}

/**
 * A view's own fields, from the stored list: with `beyondLimit` when the list names more patients
 * than it shows, and `rowsUnread` when the Graph store left rows of it unread (its read bound).
 */
const headOf = ({ id, name, columns, version, beyondLimit, rowsUnread }: StoredList) => ({
  id,
  name,
  columns,
  version,
  ...(beyondLimit ? { beyondLimit } : {}),
  ...(rowsUnread ? { rowsUnread } : {}),
});

/**
 * The latest note of each patient, of those written under the team's current source: a note
 * written before the source changed (`sourceSince`) is about another source's patient who may
 * share the id, and is not shown (nor are older ones: the latest is the newest).
 */
async function latestNotesUnder(store: TeamStore, team: TeamKey, patientIds: string[], connection: Connection): Promise<Map<string, Note>> {
  const latest = await store.latestNotes(team, patientIds);
  return new Map([...latest].filter(([, note]) => writtenUnderSource(connection, note.createdAt)));
}

/** Of the ids the EHR did not give, those of patients the team entered by hand in Manual mode (admitted or discharged). */
async function handEnteredOf(store: TeamStore, team: TeamKey, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const [admitted, discharged] = await Promise.all([store.getManualPatients(team, ids), store.getDischargedPatients(team, ids)]);
  return new Set([...admitted, ...discharged].map((p) => p.id));
}

function ehrRow(list: StoredList, clinical: PatientClinical, latestNote: Note | undefined): ListRow {
  const p = clinical.patient;
  return {
    patientId: p.id,
    displayName: p.displayName,
    ...(p.sortName !== undefined ? { sortName: p.sortName } : {}),
    mrn: p.mrn,
    birthDate: p.birthDate,
    gender: p.gender,
    deceased: p.deceased ?? null,
    recordNotice: p.recordNotice ?? null,
    available: true,
    cells: cellsFor(list.columns, clinical, latestNote),
  };
}

/** The media type of the list's line-by-line form, which a client asks for with `Accept`. */
export const NDJSON = 'application/x-ndjson';

/**
 * How the answer is laid out. JSON: `{"id","name","columns","version","rows":[…]}` with
 * `"ehrError"` after the rows. NDJSON (asked with `Accept: application/x-ndjson`): one JSON value
 * a line, `{"list":{id,name,columns,version,beyondLimit?}}`, then `{"row":…}` per row, then `{"end":{}}` or
 * `{"end":{"ehrError":…}}`; a reader can use each line as it arrives, and an answer without its
 * end line was cut off.
 */
interface Form {
  type: string;
  head(head: string): string;
  row(row: string, first: boolean): string;
  end(ehrError: string | undefined): string;
}
const jsonForm: Form = {
  type: 'json',
  head: (head) => `${head.slice(0, -1)},"rows":[`,
  row: (row, first) => (first ? row : `,${row}`),
  end: (ehrError) => `]${ehrError ? `,"ehrError":${ehrError}` : ''}}`,
};
const ndjsonForm: Form = {
  type: `${NDJSON}; charset=utf-8`,
  head: (head) => `{"list":${head}}\n`,
  row: (row) => `{"row":${row}}\n`,
  end: (ehrError) => `{"end":{${ehrError ? `"ehrError":${ehrError}` : ''}}}\n`,
};

/**
 * Sends a list view while the EHR is still answering: rows go out in list order as soon as they
 * and the rows before them are built, so only the last ones wait for the last batch. The status
 * line goes out with the first row; an EHR failure then still comes as `ehrError`, after the rows.
 *
 * The read's records say what the caller got. They are committed just before the first rows go
 * out (every patient a success: rows are being read and sent), or, when nothing went out before
 * the EHR's answer was in, at the end: a success for each patient whose row is available and a
 * failure, with the EHR error's status, for each whose row is unavailable because the EHR failed.
 * When the EHR fails after the first rows went out, failure records for the patients whose rows
 * go out unavailable are appended before the end is written. Nothing goes out before its records
 * are committed: a record that cannot be written fails the call with nothing sent (or, past the
 * first rows, cuts the answer off without its end).
 */
export async function sendListView(res: Response, store: TeamStore, ehr: EhrGateway, team: TeamKey, shown: ListToShow): Promise<void> {
  const { list } = shown;
  const audit = auditOnce(shown.recordRead);
  try {
    await Promise.race([writeListView(res, store, ehr, team, list, audit, shown.recordFailed), audit.failed]);
  } finally {
    // A call that failed before its record was committed is recorded as a failure, never afterwards as a success.
    audit.close();
  }
}

/**
 * The read's record, written once, started by whichever comes first: the list's first write (every
 * patient a success), or its end (with the patients the EHR failed for); nothing goes out until
 * the write is done (`whenCommitted` then sends what waited).
 */
function auditOnce(record: (failed?: readonly FailedRows[]) => Promise<void>) {
  let state: 'pending' | 'writing' | 'committed' | 'failed' | 'closed' = 'pending';
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  let written: Promise<boolean> = Promise.resolve(false);
  const waiting: (() => void)[] = [];
  const commit = (rowsFailed?: readonly FailedRows[]): boolean => {
    if (state === 'pending') {
      state = 'writing';
      written = record(rowsFailed).then(
        () => {
          state = 'committed';
          for (const then of waiting.splice(0)) then();
          return true;
        },
        (error: unknown) => {
          state = 'failed';
          fail(error);
          return false;
        },
      );
    }
    return state === 'committed';
  };
  return {
    failed,
    /** Starts the write unless started (every patient a success); true once it is committed (false while it is written, or when it failed: the call then fails). */
    commit: () => commit(),
    /** Whether the write was started (by a write of the list, or a read without an EHR). */
    get started() {
      return state !== 'pending' && state !== 'closed';
    },
    /** Runs `then` once the record is committed (at once if it is). */
    whenCommitted(then: () => void) {
      if (state === 'committed') then();
      else waiting.push(then);
    },
    /** Starts the write unless started (with the rows the EHR failed for), and tells whether it was committed. */
    settled(rowsFailed?: readonly FailedRows[]): Promise<boolean> {
      commit(rowsFailed);
      return written;
    },
    close() {
      if (state === 'pending') state = 'closed';
    },
  };
}

async function writeListView(
  res: Response,
  store: TeamStore,
  ehr: EhrGateway,
  team: TeamKey,
  list: StoredList,
  audit: ReturnType<typeof auditOnce>,
  recordFailed: (failed: FailedRows) => Promise<void>,
): Promise<void> {
  const form = res.req.accepts(['json', NDJSON]) === NDJSON ? ndjsonForm : jsonForm;
  const position = new Map(list.patientIds.map((id, i) => [id, i]));
  const ready: (string | undefined)[] = [];
  let sent = 0;
  // The opening goes out with the first rows, in the same write. A Manual list's fields are known
  // only once it is built, and its rows all leave then too: the opening is written when first taken.
  let fields: ListView['fields'] = undefined;
  let opened = false;
  const opening = () => form.head(JSON.stringify({ ...headOf(list), ...(fields ? { fields } : {}) }));
  const begin = () => {
    if (!res.headersSent) res.set('ETag', `"${list.version}"`).vary('Accept').type(form.type);
  };
  /** The rows ready to go out in list order (after the opening, the first time). */
  const take = (): string => {
    let out = '';
    for (; ready[sent] !== undefined; sent++) {
      out += form.row(ready[sent]!, sent === 0);
      ready[sent] = undefined;
    }
    if (!out || opened) return out;
    opened = true;
    return opening() + out;
  };
  // A client that goes away before the end was given the rows written until then, no more.
  let closedAfter: number | undefined;
  res.once('close', () => {
    if (!res.writableFinished) closedAfter = sent;
  });
  // The rows of one EHR answer are built in one go: they leave in one write once it is read, not one write each.
  let scheduled = false;
  const flushSoon = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (res.writableEnded || closedAfter !== undefined) return;
      // Rows leave in list order: a row built before the ones above it waits, and so does the
      // read's success record (nothing of the list may go out yet, and the EHR may still fail them).
      if (ready[sent] === undefined) return;
      // Rows wait for the read's record; they go out as soon as it is committed.
      if (!audit.commit()) return audit.whenCommitted(flushSoon);
      const out = take();
      if (out) {
        begin();
        res.write(out);
      }
    });
  };
  const view = await buildListView(
    store,
    ehr,
    team,
    list,
    (row) => {
      ready[position.get(row.patientId)!] = JSON.stringify(row);
      flushSoon();
    },
    audit.commit,
  );
  if (closedAfter !== undefined) {
    // Nothing more goes out: the patients whose rows were not written before the client left were
    // not given (a failure each, CLIENT_CLOSED_REQUEST); with no row written, no success was recorded.
    if (audit.started) await audit.settled();
    audit.close();
    await recordFailed({ patientIds: [...new Set(list.patientIds.slice(closedAfter))], status: CLIENT_CLOSED_REQUEST });
    return;
  }
  // Rows without their data: their patients' records say failure, with the status of why.
  const failed = rowsNotGiven(view);
  const successRecorded = audit.started;
  if (!(await audit.settled(failed.length ? failed : undefined))) return;
  // Success was committed for every patient when the first rows went out: the failures follow, before the end says the list is complete.
  if (successRecorded) for (const group of failed) await recordFailed(group);
  fields = view.fields;
  for (let i = sent; i < view.rows.length; i++) ready[i] ??= JSON.stringify(view.rows[i]);
  const rest = take();
  begin();
  res.end(`${opened ? '' : opening()}${rest}${form.end(view.ehrError && JSON.stringify(view.ehrError))}`);
}

/**
 * The patients whose rows carry no data, by the HTTP status of why: a read's success record names
 * only patients whose data it gave, and each of these gets a failure record instead. A patient the
 * source does not have (the EHR answered 404 or 410 for the Patient, a patient entered by hand and
 * no longer the source's, one gone from a Manual roster): 404. One the EHR failed to give: the EHR
 * error's status when the read failed as a whole, else 502 (its entry in a batch failed).
 */
export function rowsNotGiven(view: ListView): FailedRows[] {
  const ehrStatus = view.ehrError ? (problemStatuses[view.ehrError.code] ?? 502) : 502;
  const byStatus = new Map<number, string[]>();
  for (const row of view.rows) {
    if (row.available) continue;
    const status = row.handEntered || row.unavailable === 'gone' ? 404 : ehrStatus;
    const group = byStatus.get(status);
    if (group) group.push(row.patientId);
    else byStatus.set(status, [row.patientId]);
  }
  return [...byStatus].map(([status, patientIds]) => ({ patientIds, status }));
}

/**
 * Manual mode: rows from the team's own patients; EHR-only columns are "not available", and so is
 * a `field:<id>` column whose field the team has since removed (the view's `fields` lets the tab
 * head it as removed). The team's fields come with the view, for the tab to show and sort them.
 */
async function manualListView(store: TeamStore, team: TeamKey, list: StoredList, connection: Connection): Promise<ListView> {
  const [patientList, schema] = await Promise.all([store.getManualPatients(team, list.patientIds), store.getSchema(team)]);
  const patients = new Map(patientList.map((p) => [p.id, p]));
  const fields = schema?.fields ?? [];
  const fieldIds = new Set(fields.map((f) => f.id));
  const notes = list.columns.includes('latestNote') ? await latestNotesUnder(store, team, list.patientIds, connection) : new Map<string, Note>();
  const notOffered = { status: 'unavailable', reason: 'not_offered' } as const;
  const rows = list.patientIds.map((patientId): ListRow => {
    const p = patients.get(patientId);
    const cells: Record<string, Cell<unknown>> = {};
    for (const column of list.columns) {
      if (summaryColumns.has(column)) continue;
      if (!p) cells[column] = { status: 'unavailable', reason: 'failed' };
      else if (column === 'location')
        cells[column] = p.room ? { status: 'ok', value: { location: p.room, room: p.room, bed: null } } : { status: 'none' };
      else if (column === 'latestNote') cells[column] = notes.get(patientId) ? { status: 'ok', value: notes.get(patientId) } : { status: 'none' };
      else if (column.startsWith('field:') && fieldIds.has(column.slice(6))) {
        const value = fieldValue(p.values, column.slice(6));
        cells[column] = value === undefined ? { status: 'none' } : { status: 'ok', value };
      } else cells[column] = notOffered;
    }
    // The roster is the team's own: a patient not on it is gone, never a failed read.
    return p
      ? { patientId, displayName: p.name, mrn: p.mrn, birthDate: p.birthDate, gender: p.gender, available: true, cells }
      : { patientId, displayName: null, mrn: null, birthDate: null, gender: null, available: false, unavailable: 'gone', cells };
  });
  return { ...headOf(list), rows, fields };
}
