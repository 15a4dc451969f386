import { randomUUID } from 'node:crypto';
import { logger } from '../../platform/logger.js';
import { connection as connectionSchema } from '../../../contract/connection.js';
import { done, refused, type Note, type Outcome, type TeamStore } from '../ports.js';
import { filterParam, odataString, type GraphApi } from '../../platform/graph/graph-api.js';
import type { OpenTeam } from './graph-lists.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { byItemId, type ListItem } from './list-catalog.js';
import { retryOnStaleEtag } from './etag-retry.js';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT, noteRevision, type NoteRevision } from '../../../contract/notes.js';

type Team = Parameters<OpenTeam>[0];
/** An app list's items collection and the API to reach it. */
type Items = { api: GraphApi; path: string };
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
 */
export function graphTeamDataOps(open: OpenTeam, listExists: (team: Team, listId: string) => Promise<boolean>): TeamDataOps {
  const itemsOf = async (team: Team, kind: 'settings' | 'notes' | 'defaults', create: boolean): Promise<Items | null> => {
    const { api, site } = await open(team);
    const listId = await site.appList(kind, create);
    return listId ? { api, path: `/sites/${site.siteId}/lists/${listId}/items` } : null;
  };

  /** Writes `fields` to the first row (dropping any duplicates a concurrent first write made) or adds one. */
  const upsert = async (team: Team, kind: 'settings' | 'defaults', rows: (items: Items) => Promise<ListItem[]>, fields: Record<string, unknown>) => {
    const items = (await itemsOf(team, kind, true))!;
    const [first, ...extra] = (await rows(items)).sort(byItemId);
    if (!first) {
      await items.api.post(items.path, { fields });
      return;
    }
    await items.api.patch(`${items.path}/${first.id}/fields`, fields);
    for (const row of extra) {
      await items.api.delete(`${items.path}/${row.id}`).catch((err: unknown) => {
        if (!isStatus(err, 404)) throw err;
      });
    }
  };

  const userRows = (userId: string) => (items: Items) =>
    items.api.getAll<ListItem>(`${items.path}?expand=fields&${filterParam(`fields/UserId eq ${odataString(userId)}`)}`);

  return {
    async getConnection(team) {
      const items = await itemsOf(team, 'settings', false);
      if (!items) return { mode: 'unset' };
      const row = (await items.api.getAll<ListItem>(`${items.path}?expand=fields`)).sort(byItemId).find((r) => r.fields.Title === CONNECTION);
      if (!row) return { mode: 'unset' };
      try {
        return connectionSchema.parse(JSON.parse(String(row.fields.Value)));
      } catch {
        logger.warn({ teamId: team.teamId }, 'the connection setting in the team site is not valid; treating it as unset');
        return { mode: 'unset' };
      }
    },

    async setConnection(team, connection, userId) {
      const fields = { Title: CONNECTION, Value: JSON.stringify(connection), UpdatedBy: userId, UpdatedAt: new Date().toISOString() };
      const connectionRows = async (items: Items) =>
        (await items.api.getAll<ListItem>(`${items.path}?expand=fields`)).filter((r) => r.fields.Title === CONNECTION);
      await upsert(team, 'settings', connectionRows, fields);
      return done(connection);
    },

    async setDefaultList(team, userId, listId) {
      if (!(await listExists(team, listId))) return refused('no_list');
      await upsert(team, 'defaults', userRows(userId), { Title: userId, UserId: userId, ListId: listId });
      return done(undefined);
    },

    async defaultListId(team, userId) {
      const items = await itemsOf(team, 'defaults', false);
      if (!items) return null;
      const [row] = (await userRows(userId)(items)).sort(byItemId);
      const listId = row ? String(row.fields.ListId ?? '') : '';
      // A deleted list is no one's default any more.
      return listId && (await listExists(team, listId)) ? listId : null;
    },

    async addNote(team, patientId, author, text) {
      const items = (await itemsOf(team, 'notes', true))!;
      // Checked against the rows as read (no transactions): notes added at the same moment may each pass it.
      if ((await patientNotes(items, patientId)).length >= MAX_NOTES_PER_PATIENT) return refused('too_many_notes');
      const createdAt = new Date().toISOString();
      const noteId = randomUUID();
      await items.api.post(items.path, {
        fields: {
          Title: patientId,
          NoteId: noteId,
          PatientId: patientId,
          AuthorId: author.id,
          AuthorName: author.name,
          NoteText: text,
          Version: 1,
          CreatedAt: createdAt,
        },
      });
      return done({ id: noteId, patientId, authorId: author.id, authorName: author.name, text, createdAt, ...unedited });
    },

    async reviseNote(team, patientId, noteId, authorId, text, expectedVersion) {
      const items = await itemsOf(team, 'notes', false);
      const row = items && (await patientNotes(items, patientId)).find((r) => noteOf(r).id === noteId);
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
        const current = noteOf(item);
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
        await items.api.patch(
          `${items.path}/${row.id}/fields`,
          {
            NoteText: note.text,
            Version: note.version,
            EditedAt: note.editedAt,
            WithdrawnAt: note.withdrawnAt,
            Revisions: JSON.stringify(revisions),
          },
          item.eTag,
        );
        return done(note);
      });
    },

    async listNotes(team, patientId) {
      const items = await itemsOf(team, 'notes', false);
      if (!items) return [];
      return (await patientNotes(items, patientId)).sort(byItemId).map(noteOf);
    },

    async latestNotes(team, patientIds) {
      const latest = new Map<string, Note>();
      const items = await itemsOf(team, 'notes', false);
      if (!items || patientIds.length === 0) return latest;
      const groups: string[][] = [];
      for (let i = 0; i < patientIds.length; i += PATIENTS_PER_QUERY) groups.push(patientIds.slice(i, i + PATIENTS_PER_QUERY));
      const answers = await Promise.all(
        groups.map((ids) =>
          items.api.getAll<ListItem>(
            `${items.path}?expand=fields&${filterParam(ids.map((id) => `fields/PatientId eq ${odataString(id)}`).join(' or '))}`,
          ),
        ),
      );
      // Oldest first: each patient's last item is its newest note; a withdrawn one is no one's latest.
      // A list's cell shows only the text: the earlier texts are not parsed.
      for (const note of answers.flat().sort(byItemId).map(cellNoteOf)) if (!note.withdrawnAt) latest.set(note.patientId, note);
      return latest;
    },
  };
}

const patientNotes = (items: Items, patientId: string) =>
  items.api.getAll<ListItem>(`${items.path}?expand=fields&${filterParam(`fields/PatientId eq ${odataString(patientId)}`)}`);

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

function noteOf(r: ListItem): Note {
  return { ...cellNoteOf(r), revisions: revisionsOf(r.fields.Revisions) };
}

/** A note without its earlier texts. */
function cellNoteOf(r: ListItem): Note {
  const version = Number(r.fields.Version);
  return {
    id: String(r.fields.NoteId ?? r.id),
    patientId: String(r.fields.PatientId ?? ''),
    authorId: String(r.fields.AuthorId ?? ''),
    authorName: String(r.fields.AuthorName ?? ''),
    text: String(r.fields.NoteText ?? ''),
    createdAt: String(r.fields.CreatedAt ?? ''),
    ...unedited,
    version: Number.isInteger(version) && version >= 1 ? version : 1,
    editedAt: timeOrNull(r.fields.EditedAt),
    withdrawnAt: timeOrNull(r.fields.WithdrawnAt),
  };
}
