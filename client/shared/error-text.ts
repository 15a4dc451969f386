import { ApiError } from './api/api-client';
import type { MessageKey } from './i18n/en';
import { currentLanguage, t } from './i18n/t';

// The API's problem codes (server/http/problem.ts and the FHIR layer's), each with the catalog's words for it.
const messageOfCode: Record<string, MessageKey> = {
  validation_failed: 'error.invalid',
  search_criteria_required: 'error.invalid',
  malformed_json: 'error.server',
  payload_too_large: 'error.server',
  unsupported_encoding: 'error.server',
  route_not_found: 'error.server',
  internal_error: 'error.server',
  unauthenticated: 'error.signIn',
  team_not_found: 'error.teamNotFound',
  not_team_member: 'error.notMember',
  owner_required: 'error.ownerRequired',
  audit_reader_required: 'error.auditReader',
  consent_required: 'error.consent',
  list_not_found: 'error.listNotFound',
  patient_not_found: 'error.patientNotFound',
  patient_not_on_list: 'error.patientNotOnList',
  not_ehr_mode: 'error.notEhrMode',
  not_manual_mode: 'error.notManualMode',
  version_conflict: 'error.versionConflict',
  schema_conflict: 'error.schemaConflict',
  ehr_unreachable: 'error.ehrUnreachable',
  ehr_timeout: 'error.ehrTimeout',
  not_fhir: 'error.notFhir',
  unsupported_version: 'error.unsupportedVersion',
  no_patient_support: 'error.noPatientSupport',
  token_refused: 'error.tokenRefused',
  link_not_allowed: 'error.linkNotAllowed',
  ehr_error: 'error.ehr',
};

/**
 * What to tell the user about an error. The server states problems in English, with details
 * (the field, the address) that English keeps; the other languages get the catalog's words for
 * the problem's code. Errors the tab makes itself are already in the active language.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error instanceof ApiError) || currentLanguage() === 'en' || error.code === 'network_error' || error.code === 'http_error') return error.message;
  return t(messageOfCode[error.code] ?? 'error.server');
}
