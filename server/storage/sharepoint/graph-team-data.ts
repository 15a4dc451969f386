import { randomUUID } from 'node:crypto';
import { logger } from '../../platform/logger.js';
import { connection as connectionSchema } from '../../../contract/connection.js';
import { done, refused, type Note, type Outcome, type TeamStore } from '../ports.js';
import { filterParam, odataString, type GraphApi } from '../../platform/graph/graph-api.js';
import type { OpenTeam } from './graph-lists.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { byItemId, itemsWhere, rowsTitled, type ListItem } from './list-catalog.js';
import { readBounds, tooManyRows } from './read-bounds.js';
import { retryOnStaleEtag } from './etag-retry.js';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT, noteRevision, type NoteRevision } from '../../../contract/notes.js';
import { SEAL_COLUMN, type RowSealer, type SealState } from './row-seal.js';
import { rowOf, sealedFields, unverifiedAuthor } from './sealed-lists.js';

type Team = Parameters<OpenTeam>[0];
/** An app list's items collection, the API to reach it, and the seal of its rows. */
type Items = { api: GraphApi; path: string; sealer: RowSealer };
type TeamDataOps = Pick<
  TeamStore,
  'getConnection' | 'setConnection' | 'addNote' | 'reviseNote' | 'listNotes' | 'latestNotes' | 'setDefaultList' | 'defaultListId'
>;

/** Patients per notes query: `PatientId eq … or …` stays well within a URL's length. */
const PATIENTS_PER_QUERY = 20;

const CONNECTION = 'Connection';

/**
 * The team's settings, notes and default lists, each in an app list of the team's site. A
 * user's default and the connection are last-writer-wins, as in the SQLite store.
 *
 * Each row carries the app's seal of what it vouches for (sealed-lists.ts); a row without a valid
 * one was not written so by the app: a connection or a default that is not sealed is not used
 * (the team reads as not set up, the user as having no default), and a note is shown as written
 * by no one, with why (unverifiedAuthor), and can be corrected or withdrawn by no one.
 */
export function graphTeamDataOps(open: OpenTeam, listExists: (team: Team, listId: string) => Promise<boolean>): TeamDataOps {
  const itemsOf = async (team: Team, kind: 'settings' | 'notes' | 'defaults', create: boolean): Promise<Items | null> => {
    const { api, site, sealer } = await open(team);
    const listId = await site.appList(kind, create);
    return listId ? { api, path: `/sites/${site.siteId}/lists/${listId}/items`, sealer } : null;
  };

  /**
   * Writes `fields`, sealed under `key`, to the first row or adds one. Duplicates a concurrent
   * first write made are dropped after, at best effort: readers use the first row only, so the
   * change is made with its write, and a row left over never fails it (the next write tries again).
   */
  const upsert = async (
    team: Team,
    kind: 'settings' | 'defaults',
    key: string,
    rows: (items: Items) => Promise<ListItem[]>,
    unsealed: Record<string, unknown>,
  ) => {
    const items = (await itemsOf(team, kind, true))!;
    const fields = items.sealer.sealed(rowOf(team, kind, key), sealedFields[kind], unsealed);
    const [first, ...extra] = (await rows(items)).sort(byItemId);
    if (!first) {
      await items.api.post(items.path, { fields });
      return;
    }
    await items.api.patch(`${items.path}/${first.id}/fields`, fields);
    for (const row of extra) {
      await items.api.delete(`${items.path}/${row.id}`).catch((err: unknown) => {
        if (!isStatus(err, 404))
          logger.warn({ teamId: team.teamId, kind, status: statusOf(err) }, 'a duplicate row of a setting could not be deleted yet');
      });
    }
  };

  // A user's default is one row (the first wins; extras read are dropped by the next write).
  const userRows = (userId: string) => async (items: Items) => (await itemsWhere(items.api, items.path, 'UserId', userId, readBounds.keyedRow)).items;
  const connectionRows = (items: Items) => rowsTitled(items.api, items.path, CONNECTION, readBounds.settings, 'settings list');

  return {
    async getConnection(team) {
      const items = await itemsOf(team, 'settings', false);
      if (!items) return { mode: 'unset' };
      const [row] = await connectionRows(items);
      if (!row) return { mode: 'unset' };
      const state = items.sealer.check(rowOf(team, 'settings', CONNECTION), sealedFields.settings, row);
      if (state !== 'sealed') {
        // Never used: the link (or the mode) was not set by an owner in the app. Read as not set up,
        // the app tells members that a team owner must connect the team, and owners set it again.
        logger.warn({ teamId: team.teamId, state }, 'the connection setting in the team site has no valid seal of the app; treating it as unset');
        return { mode: 'unset' };
      }
      try {
        return connectionSchema.parse(JSON.parse(String(row.fields.Value)));
      } catch {
        logger.warn({ teamId: team.teamId }, 'the connection setting in the team site is not valid; treating it as unset');
        return { mode: 'unset' };
      }
    },

    async setConnection(team, connection, userId) {
      // Every sealed field is written, so that none left from an edit outside the app spoils the seal.
      const fields = { Title: CONNECTION, Value: JSON.stringify(connection), Version: null, UpdatedBy: userId, UpdatedAt: new Date().toISOString() };
      await upsert(team, 'settings', CONNECTION, connectionRows, fields);
      return done(connection);
    },

    async setDefaultList(team, userId, listId) {
      if (!(await listExists(team, listId))) return refused('no_list');
      await upsert(team, 'defaults', userId, userRows(userId), { Title: userId, UserId: userId, ListId: listId });
      return done(undefined);
    },

    async defaultListId(team, userId) {
      const items = await itemsOf(team, 'defaults', false);
      if (!items) return null;
      const [row] = (await userRows(userId)(items)).sort(byItemId);
      // A default not set by its user in the app is no one's.
      const sealed = row && items.sealer.check(rowOf(team, 'defaults', userId), sealedFields.defaults, row) === 'sealed';
      const listId = sealed ? String(row.fields.ListId ?? '') : '';
      // A deleted list is no one's default any more.
      return listId && (await listExists(team, listId)) ? listId : null;
    },

    async addNote(team, patientId, author, text) {
      const items = (await itemsOf(team, 'notes', true))!;
      // Checked against the rows as read (no transactions): notes added at the same moment may each pass it.
      // More rows than a read takes (added outside the app) are past the limit too.
      const held = await patientNotes(items, patientId);
      if (held.more || held.items.length >= MAX_NOTES_PER_PATIENT) return refused('too_many_notes');
      const createdAt = new Date().toISOString();
      const noteId = randomUUID();
      const fields = {
        Title: patientId,
        NoteId: noteId,
        PatientId: patientId,
        AuthorId: author.id,
        AuthorName: author.name,
        NoteText: text,
        Version: 1,
        CreatedAt: createdAt,
      };
      await items.api.post(items.path, { fields: items.sealer.sealed(rowOf(team, 'notes', noteId), sealedFields.notes, fields) });
      return done({ id: noteId, patientId, authorId: author.id, authorName: author.name, text, createdAt, ...unedited });
    },

    async reviseNote(team, patientId, noteId, authorId, text, expectedVersion) {
      const items = await itemsOf(team, 'notes', false);
      const held = items && (await patientNotes(items, patientId));
      const row = held?.items.find((r) => noteIdOf(r) === noteId);
      if (!row && held?.more) throw tooManyRows(notesOfPatient);
      if (!items || !row) return refused('no_note');
      // Read, check and write with If-Match: a writer in between (another server) makes Graph answer 412, and the check runs again.
      return retryOnStaleEtag(async (): Promise<Outcome<Note, 'no_note' | 'not_author' | 'conflict' | 'note_revisions_full'>> => {
        let item: ListItem;
        try {
          item = await items.api.get<ListItem>(`${items.path}/${row.id}?expand=fields`);
        } catch (err) {
          if (isStatus(err, 404)) return refused('no_note');
          throw err;
        }
        // A note the app cannot vouch for has no author, so no one may correct or withdraw it.
        const current = noteOf(item, checkNote(team, items.sealer, item));
        // A withdrawn note is final: there is nothing left to correct or withdraw.
        if (current.withdrawnAt) return refused('no_note');
        if (current.authorId !== authorId) return refused('not_author');
        if (current.version !== expectedVersion) return refused('conflict');
        // Never by dropping an earlier text: a further correction is refused; withdrawing stays possible.
        if (text !== null && current.revisions.length >= MAX_NOTE_CORRECTIONS) return refused('note_revisions_full');
        const now = new Date().toISOString();
        const revisions = [...current.revisions, { text: current.text, writtenAt: current.editedAt ?? current.createdAt }];
        const note: Note =
          text === null
            ? { ...current, text: '', version: current.version + 1, withdrawnAt: now, revisions }
            : { ...current, text, version: current.version + 1, editedAt: now, revisions };
        const changes = {
          NoteText: note.text,
          Version: note.version,
          EditedAt: note.editedAt,
          WithdrawnAt: note.withdrawnAt,
          Revisions: JSON.stringify(revisions),
        };
        // The rest of the row is as sealed (checked above; If-Match keeps it so): the seal covers the row as it will be.
        const seal = items.sealer.sealed(rowOf(team, 'notes', noteId), sealedFields.notes, { ...item.fields, ...changes })[SEAL_COLUMN];
        await items.api.patch(`${items.path}/${row.id}/fields`, { ...changes, [SEAL_COLUMN]: seal }, item.eTag);
        return done(note);
      });
    },

    async listNotes(team, patientId) {
      const items = await itemsOf(team, 'notes', false);
      if (!items) return [];
      const held = await patientNotes(items, patientId);
      // Part of a patient's notes would be shown as all of them: the read fails instead.
      if (held.more) throw tooManyRows(notesOfPatient);
      return firstOfEach(held.items.sort(byItemId).map((r) => noteOf(r, checkNote(team, items.sealer, r))));
    },

    async latestNotes(team, patientIds) {
      const latest = new Map<string, Note>();
      const items = await itemsOf(team, 'notes', false);
      if (!items || patientIds.length === 0) return latest;
      const groups: string[][] = [];
      for (let i = 0; i < patientIds.length; i += PATIENTS_PER_QUERY) groups.push(patientIds.slice(i, i + PATIENTS_PER_QUERY));
      const answers = await Promise.all(
        groups.map(async (ids) => {
          const read = await items.api.getAll<ListItem>(
            `${items.path}?expand=fields&${filterParam(ids.map((id) => `fields/PatientId eq ${odataString(id)}`).join(' or '))}`,
            { maxItems: ids.length * readBounds.notesOfPatient },
          );
          // The latest note is the last row: with rows left unread it may be among them, and an older one would be shown as the latest.
          if (read.more) throw tooManyRows(notesOfPatient);
          // Only the patients asked for: not one whose id differs only in case (SharePoint's `eq` ignores it: see `itemsWhere`).
          return read.items.filter((r) => ids.includes(r.fields.PatientId as string));
        }),
      );
      // Oldest first: each patient's last item is its newest note; a withdrawn one is no one's latest.
      // A list's cell shows only the text: the earlier texts are not parsed.
      const notes = firstOfEach(
        answers
          .flat()
          .sort(byItemId)
          .map((r) => cellNoteOf(r, checkNote(team, items.sealer, r))),
      );
      for (const note of notes) if (!note.withdrawnAt) latest.set(note.patientId, note);
      return latest;
    },
  };
}

const statusOf = (err: unknown) => (err as { status?: number }).status;

const patientNotes = (items: Items, patientId: string) => itemsWhere(items.api, items.path, 'PatientId', patientId, readBounds.notesOfPatient);
const notesOfPatient = 'notes list';

/** A new note, and one written before notes could be corrected (its row has no such fields). */
const unedited = { version: 1, editedAt: null, withdrawnAt: null, revisions: [] };

/** The earlier texts kept in the row; anything else there (an edit by hand in SharePoint) is left out. */
function revisionsOf(value: unknown): NoteRevision[] {
  if (typeof value !== 'string' || !value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.flatMap((r) => {
          const revision = noteRevision.safeParse(r);
          return revision.success ? [revision.data] : [];
        })
      : [];
  } catch {
    return [];
  }
}

const timeOrNull = (value: unknown) => (typeof value === 'string' && value ? value : null);

const noteIdOf = (r: ListItem) => String(r.fields.NoteId ?? r.id);

/** Whether the app vouches for the note's row: its seal, under the note's own id, in this team. */
const checkNote = (team: Team, sealer: RowSealer, r: ListItem): SealState =>
  sealer.check(rowOf(team, 'notes', String(r.fields.NoteId ?? '')), sealedFields.notes, r);

/** Each note once (a row copied whole in SharePoint repeats its note): the first row, oldest first. */
function firstOfEach(notes: Note[]): Note[] {
  const seen = new Set<string>();
  return notes.filter((n) => !seen.has(n.id) && seen.add(n.id));
}

function noteOf(r: ListItem, state: SealState): Note {
  return { ...cellNoteOf(r, state), revisions: revisionsOf(r.fields.Revisions) };
}

/** The note's author as a user is shown it: the name in the row only when the app vouches for it. */
function authorOf(r: ListItem, state: SealState): Pick<Note, 'authorName' | 'authorUnverified'> {
  if (state === 'sealed') return { authorName: String(r.fields.AuthorName ?? '') };
  const { name, reason } = unverifiedAuthor(state);
  return { authorName: name, authorUnverified: reason };
}

/**
 * A note without its earlier texts. One the app cannot vouch for (`state` not sealed) is no one's:
 * its author is left out and the name says why, so that its text is never shown as a clinician's.
 */
function cellNoteOf(r: ListItem, state: SealState): Note {
  const version = Number(r.fields.Version);
  return {
    id: noteIdOf(r),
    patientId: String(r.fields.PatientId ?? ''),
    authorId: state === 'sealed' ? String(r.fields.AuthorId ?? '') : '',
    ...authorOf(r, state),
    text: String(r.fields.NoteText ?? ''),
    createdAt: String(r.fields.CreatedAt ?? ''),
    ...unedited,
    version: Number.isInteger(version) && version >= 1 ? version : 1,
    editedAt: timeOrNull(r.fields.EditedAt),
    withdrawnAt: timeOrNull(r.fields.WithdrawnAt),
  };
}
