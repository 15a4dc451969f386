import type { PatientSummary } from '../types.js';

export interface SortKey {
  param: string;
  descending?: boolean;
}

/** What differs between FHIR releases, as data; the code reading it is shared. */
export interface AdapterSpec {
  /** Content type for request bodies such as batch Bundles. */
  mimeType: string;
  /** DSTU2 puts the direction on the parameter name (`_sort:desc=date`); later releases use `_sort=-date`. */
  sortSyntax: 'modifier' | 'comma';
  /** The Patient element holding the primary care provider. */
  generalPractitionerField: 'careProvider' | 'generalPractitioner';
}

export interface PatientView {
  summary: PatientSummary;
  /** For sorting and filtering on our side. */
  family: string;
  given: string;
}

/** `now` (epoch ms) decides which name periods have ended; the clock when not given. */
export interface ReadOptions {
  mrnSystem?: string;
  now?: number;
  /** The EHR's base: a link to a Patient by an absolute URL on it names a record of this EHR. */
  base?: URL;
}

export interface VersionAdapter extends AdapterSpec {
  sortParams(keys: SortKey[]): Array<[string, string]>;
  /** Null when the resource is not a Patient with an id. */
  toPatientSummary(resource: unknown, options?: ReadOptions): PatientSummary | null;
  readPatient(resource: unknown, options?: ReadOptions): PatientView | null;
}
