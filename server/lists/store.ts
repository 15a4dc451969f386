import type { FhirVersion } from '../fhir/types.js';

/** A team's data is keyed by the tenant (from the verified token) and the team. */
export interface TeamKey {
  tenantId: string;
  teamId: string;
}

export type Connection =
  | { mode: 'unset' }
  | { mode: 'manual' }
  | {
      mode: 'ehr';
      url: string;
      name: string;
      fhirVersion: FhirVersion;
      auth: 'none' | 'client_credentials';
      resources: string[];
    };

export interface ListSummary {
  id: string;
  name: string;
  patientCount: number;
}

export interface StoredList {
  id: string;
  name: string;
  /** In the order they were added. */
  patientIds: string[];
}

/**
 * Where a team's data lives: SQLite locally, the team's SharePoint site through Graph in
 * production. Every method is atomic; `null` means the list does not exist in that team.
 */
export interface TeamStore {
  getConnection(team: TeamKey): Promise<Connection>;
  setConnection(team: TeamKey, connection: Connection, userId: string): Promise<void>;
  listLists(team: TeamKey): Promise<ListSummary[]>;
  createList(team: TeamKey, name: string, userId: string): Promise<ListSummary>;
  getList(team: TeamKey, listId: string): Promise<StoredList | null>;
  /** Adds the ids not already on the list; returns the list afterwards. */
  addPatients(team: TeamKey, listId: string, patientIds: string[], userId: string): Promise<StoredList | null>;
  /** False when the patient was not on the list. */
  removePatient(team: TeamKey, listId: string, patientId: string): Promise<boolean | null>;
  close(): Promise<void>;
}
