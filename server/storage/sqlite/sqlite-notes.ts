import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Commit } from '../store-audit.js';
import type { AuditOf, Note, TeamKey, TeamStore } from '../ports.js';

/** Team notes on patients, kept with the team's data (never in the EHR). */
export function sqliteNoteOps(db: Database.Database, commit: Commit): Pick<TeamStore, 'addNote' | 'listNotes' | 'latestNotes'> {
  const insert = db.prepare(
    `INSERT INTO notes (id, tenant_id, team_id, patient_id, author_id, author_name, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byPatient = db.prepare(
    `SELECT id, patient_id AS patientId, author_id AS authorId, author_name AS authorName, text, created_at AS createdAt
     FROM notes WHERE tenant_id = ? AND team_id = ? AND patient_id = ? ORDER BY created_at, rowid`,
  );
  const ofPatients = db.prepare(
    `SELECT id, patient_id AS patientId, author_id AS authorId, author_name AS authorName, text, created_at AS createdAt
     FROM notes WHERE tenant_id = ? AND team_id = ? AND patient_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid`,
  );
  const addNote = db.transaction((team: TeamKey, patientId: string, author: { id: string; name: string }, text: string, audit?: AuditOf<Note>) => {
    const note: Note = { id: randomUUID(), patientId, authorId: author.id, authorName: author.name, text, createdAt: new Date().toISOString() };
    insert.run(note.id, team.tenantId, team.teamId, patientId, author.id, author.name, text, note.createdAt);
    return commit(note, audit);
  });
  return {
    async addNote(team, patientId, author, text, audit) {
      return addNote(team, patientId, author, text, audit);
    },
    async listNotes(team, patientId) {
      return byPatient.all(team.tenantId, team.teamId, patientId) as Note[];
    },
    async latestNotes(team, patientIds) {
      const latest = new Map<string, Note>();
      // Oldest first: each patient's last row is its newest note.
      for (const note of ofPatients.all(team.tenantId, team.teamId, JSON.stringify(patientIds)) as Note[]) latest.set(note.patientId, note);
      return latest;
    },
  };
}
