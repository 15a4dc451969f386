/** Schema versions, applied in order inside one transaction each; never edit a released step. */
export const migrations: string[] = [
  `CREATE TABLE team_settings (
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     connection TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1,
     PRIMARY KEY (tenant_id, team_id)
   );
   CREATE TABLE lists (
     id TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     name TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1
   );
   CREATE INDEX lists_by_team ON lists (tenant_id, team_id);
   CREATE TABLE list_patients (
     list_id TEXT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
     patient_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     added_by TEXT NOT NULL,
     added_at TEXT NOT NULL,
     PRIMARY KEY (list_id, patient_id)
   );`,
  `ALTER TABLE lists ADD COLUMN columns TEXT NOT NULL DEFAULT '["name","mrn","birthDate","gender"]';
   CREATE TABLE default_lists (
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     list_id TEXT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
     PRIMARY KEY (tenant_id, team_id, user_id)
   );
   CREATE TABLE notes (
     id TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     patient_id TEXT NOT NULL,
     author_id TEXT NOT NULL,
     author_name TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX notes_by_patient ON notes (tenant_id, team_id, patient_id, created_at);`,
  `CREATE TABLE manual_schemas (
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     fields TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1,
     PRIMARY KEY (tenant_id, team_id)
   );
   CREATE TABLE manual_patients (
     id TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     data TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX manual_patients_by_team ON manual_patients (tenant_id, team_id);`,
  // Notes the author can correct or withdraw: the texts it had, oldest first, as JSON [{text, writtenAt}].
  `ALTER TABLE notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE notes ADD COLUMN edited_at TEXT;
   ALTER TABLE notes ADD COLUMN withdrawn_at TEXT;
   ALTER TABLE notes ADD COLUMN revisions TEXT NOT NULL DEFAULT '[]';`,
  // A discharged manual patient is kept, off the roster and every list: who and when as JSON {at, byId, byName}.
  `ALTER TABLE manual_patients ADD COLUMN discharged TEXT;`,
];
