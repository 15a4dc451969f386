import type { ListPart, PatientClinical, PatientDetails, VitalKind } from './clinical/types.js';
import { CodedError } from '../platform/problem.js';
import type { PatientSummary } from './patient-summary.js';

/** FHIR releases the app understands, detected from `fhirVersion` (major.minor). */
import type { FhirVersion } from '../../contract/connection.js';
/** How the EHR matched the name criteria: anywhere in a name part (`:contains`), or only from the start of one (FHIR's default). */
import type { NameMatch } from '../../contract/patients.js';

// PatientSummary lives in a leaf module, so that the clinical types can use it without importing this file back.
export type { FhirVersion, NameMatch, PatientSummary };

export interface PatientSearchQuery {
  name?: string;
  family?: string;
  given?: string;
  /** MRN (or any identifier value). */
  identifier?: string;
  birthdate?: string;
  gender?: string;
  id?: string;
  /** Page size, 1..100. */
  count?: number;
}

export interface PatientSearchResult {
  patients: PatientSummary[];
  /** Absolute URL of the next FHIR page (from `link[relation=next]`), when there is one. */
  next?: string;
  /** For a search by name: the rule the EHR matched it by. */
  match?: NameMatch;
}

/** What a connection check found at a FHIR base URL. */
export interface ConnectionCheck {
  fhirVersion: FhirVersion;
  /** `none` for an open server, otherwise the grant the app uses. */
  auth: 'none' | 'client_credentials';
  tokenEndpoint?: string;
  /** Resource types the server lists in its capability statement. */
  resources: string[];
}

/** Why talking to an EHR failed, in words an owner can act on. */
export type FhirErrorCode =
  'ehr_unreachable' | 'ehr_timeout' | 'not_fhir' | 'unsupported_version' | 'no_patient_support' | 'token_refused' | 'link_not_allowed' | 'ehr_error';

export class FhirError extends CodedError<FhirErrorCode> {
  constructor(
    code: FhirErrorCode,
    message: string,
    status?: number,
    /** True when the refusal came as a FHIR OperationOutcome: a FHIR server said no, not some other web server. */
    readonly fromFhir = false,
  ) {
    super(code, message, status);
    this.name = 'FhirError';
  }
}

/** The one door from the API into the EHR. Tenant id is the partner's routing key. */
export interface EhrGateway {
  /** Fetches metadata (and the SMART well-known file), gets a token if secured, runs a test search. */
  check(baseUrl: string, tenantId: string): Promise<ConnectionCheck>;
  /** Search, or with `pageUrl` fetch a next page (must lie under `baseUrl`). */
  searchPatients(baseUrl: string, tenantId: string, query: PatientSearchQuery, pageUrl?: string): Promise<PatientSearchResult>;
  /** Null when the EHR answers 404/410. */
  readPatient(baseUrl: string, tenantId: string, id: string): Promise<PatientSummary | null>;
  /** Reads many patients, in FHIR batches. Ones the EHR does not have are left out; one it fails to answer fails the read. */
  readPatients(baseUrl: string, tenantId: string, ids: string[]): Promise<PatientSummary[]>;
  /**
   * List rows: each patient with the asked parts, in batches of one entry per patient per part.
   * Patients the EHR does not have (or could not give) are absent from the map; those it said it
   * does not have are in its `gone`. `onRow` gets
   * each row as soon as it is complete, before the last batch is in. `vitalKinds`: the vital
   * kinds the list shows (default every kind); a kind missing from a row's first vital-sign page
   * is asked on its own, so its cell never says "none recorded" when the EHR has a reading.
   */
  readClinical(
    baseUrl: string,
    tenantId: string,
    ids: string[],
    parts: ListPart[],
    onRow?: (row: PatientClinical) => void,
    vitalKinds?: VitalKind[],
  ): Promise<ClinicalRows>;
  /** The details panel: every part in full. Null when the EHR does not have the patient. */
  readPatientDetails(baseUrl: string, tenantId: string, id: string): Promise<PatientDetails | null>;
}

/**
 * A list read's rows by patient id, and `gone`: the patients the EHR said it does not have (404 or
 * 410 for the Patient in the batch, or an id no FHIR server can hold). A patient neither here nor
 * gone is one the EHR failed to give.
 */
export class ClinicalRows extends Map<string, PatientClinical> {
  constructor(
    rows: Iterable<readonly [string, PatientClinical]> = [],
    readonly gone: ReadonlySet<string> = new Set(),
  ) {
    super(rows);
  }
}
