/** Shapes of the API the tab reads (see the README's API table). */
export interface DevInfo {
  tenants: { id: string; name: string; teams: { id: string; name: string; owners: string[]; members: string[] }[] }[];
  users: { id: string; name: string; tenantId: string }[];
  sandbox: { fhir: { dstu2: string; stu3: string; r4: string } };
}

export type Connection =
  | { mode: 'unset' }
  | { mode: 'manual' }
  | { mode: 'ehr'; url: string; name: string; fhirVersion: string; auth: 'none' | 'client_credentials'; resources: string[] };

export interface PatientSummary {
  id: string;
  displayName: string;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
}

export interface SearchResult {
  patients: PatientSummary[];
  next?: string;
}

export interface ListSummary {
  id: string;
  name: string;
  patientCount: number;
  isDefault: boolean;
}

export interface ListRow {
  patientId: string;
  displayName: string | null;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  available: boolean;
  cells: Record<string, unknown>;
}

export interface ListView {
  id: string;
  name: string;
  version: number;
  columns: string[];
  rows: ListRow[];
  ehrError?: { code: string; message: string };
}
