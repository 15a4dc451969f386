import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT, type NoteRevision } from '../../../contract/notes.js';
import type { Commit } from '../store-audit.js';
import { refused, type AuditOf, type Note, type TeamKey, type TeamStore } from '../ports.js';

interface NoteRow extends Omit<Note, 'revisions'> {
  revisions: string;
}

const columns = `id, patient_id AS patientId, author_id AS authorId, author_name AS authorName, text, created_at AS createdAt,
  version, edited_at AS editedAt, withdrawn_at AS withdrawnAt, revisions`;

const noteOf = (row: NoteRow): Note => ({ ...row, revisions: JSON.parse(row.revisions) as NoteRevision[] });

/** A note as a list's cell shows it: its earlier texts are neither read nor parsed. */
const cellColumns = columns.replace(/revisions$/, "'[]' AS revisions");

/** Team notes on patients, kept with the team's data (never in the EHR). */
export function sqliteNoteOps(db: Database.Database, commit: Commit): Pick<TeamStore, 'addNote' | 'reviseNote' | 'listNotes' | 'latestNotes'> {
  const insert = db.prepare(
    `INSERT INTO notes (id, tenant_id, team_id, patient_id, author_id, author_name, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const noteCount = db.prepare<[string, string, string], { n: number }>(
    'SELECT count(*) AS n FROM notes WHERE tenant_id = ? AND team_id = ? AND patient_id = ?',
  );
  const byPatient = db.prepare(`SELECT ${columns} FROM notes WHERE tenant_id = ? AND team_id = ? AND patient_id = ? ORDER BY created_at, rowid`);
  const one = db.prepare(`SELECT ${columns} FROM notes WHERE tenant_id = ? AND team_id = ? AND patient_id = ? AND id = ?`);
  const revise = db.prepare(
    `UPDATE notes SET text = ?, version = version + 1, edited_at = ?, withdrawn_at = ?, revisions = ?
     WHERE tenant_id = ? AND team_id = ? AND id = ? AND version = ?`,
  );
  const ofPatients = db.prepare(
    `SELECT ${cellColumns} FROM notes
     WHERE tenant_id = ? AND team_id = ? AND patient_id IN (SELECT value FROM json_each(?)) AND withdrawn_at IS NULL ORDER BY created_at, rowid`,
  );
  const addNote = db.transaction((team: TeamKey, patientId: string, author: { id: string; name: string }, text: string, audit?: AuditOf<Note>) => {
    if (noteCount.get(team.tenantId, team.teamId, patientId)!.n >= MAX_NOTES_PER_PATIENT) return refused('too_many_notes');
    const note: Note = {
      id: randomUUID(),
      patientId,
      authorId: author.id,
      authorName: author.name,
      text,
      createdAt: new Date().toISOString(),
      version: 1,
      editedAt: null,
      withdrawnAt: null,
      revisions: [],
    };
    insert.run(note.id, team.tenantId, team.teamId, patientId, author.id, author.name, text, note.createdAt);
    return commit(note, audit);
  });
  const reviseNote = db.transaction(
    (team: TeamKey, patientId: string, noteId: string, authorId: string, text: string | null, expectedVersion: number, audit?: AuditOf<Note>) => {
      const row = one.get(team.tenantId, team.teamId, patientId, noteId) as NoteRow | undefined;
      // A withdrawn note is final: there is nothing left to correct or withdraw.
      if (!row || row.withdrawnAt) return refused('no_note');
      if (row.authorId !== authorId) return refused('not_author');
      if (row.version !== expectedVersion) return refused('conflict');
      const current = noteOf(row);
      // Never by dropping an earlier text: a further correction is refused; withdrawing stays possible.
      if (text !== null && current.revisions.length >= MAX_NOTE_CORRECTIONS) return refused('note_revisions_full');
      const now = new Date().toISOString();
      const revisions = [...current.revisions, { text: current.text, writtenAt: current.editedAt ?? current.createdAt }];
      const note: Note =
        text === null
          ? { ...current, text: '', version: current.version + 1, withdrawnAt: now, revisions }
          : { ...current, text, version: current.version + 1, editedAt: now, revisions };
      revise.run(note.text, note.editedAt, note.withdrawnAt, JSON.stringify(revisions), team.tenantId, team.teamId, noteId, expectedVersion);
      return commit(note, audit);
    },
  );
  return {
    async addNote(team, patientId, author, text, audit) {
      return addNote(team, patientId, author, text, audit);
    },
    async reviseNote(team, patientId, noteId, authorId, text, expectedVersion, audit) {
      return reviseNote(team, patientId, noteId, authorId, text, expectedVersion, audit);
    },
    async listNotes(team, patientId) {
      return (byPatient.all(team.tenantId, team.teamId, patientId) as NoteRow[]).map(noteOf);
    },
    async latestNotes(team, patientIds) {
      const latest = new Map<string, Note>();
      // Oldest first: each patient's last row is its newest note.
      for (const row of ofPatients.all(team.tenantId, team.teamId, JSON.stringify(patientIds)) as NoteRow[]) latest.set(row.patientId, noteOf(row));
      return latest;
    },
  };
}
