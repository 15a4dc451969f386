import type { ErrorCode } from '../../contract/errors';
import { ApiError } from './api/api-client';
import type { MessageKey } from './i18n/en';
import { durationText } from './format';
import { currentLanguage, t } from './i18n/t';

/**
 * The catalog's words for each of the API's problem codes (`contract/errors.ts`); the type makes
 * every code have words, and a unit test checks every language has them.
 */
export const messageOfCode: Record<ErrorCode, MessageKey> = {
  bad_request: 'error.invalid',
  method_not_allowed: 'error.server',
  request_timeout: 'error.server',
  length_required: 'error.server',
  precondition_failed: 'error.preconditionFailed',
  uri_too_long: 'error.invalid',
  unsupported_media_type: 'error.server',
  range_not_satisfiable: 'error.server',
  headers_too_large: 'error.server',
  not_found: 'error.server',
  validation_failed: 'error.invalid',
  search_criteria_required: 'error.invalid',
  malformed_json: 'error.server',
  payload_too_large: 'error.server',
  unsupported_encoding: 'error.server',
  route_not_found: 'error.server',
  internal_error: 'error.server',
  malformed_path: 'error.malformedPath',
  invalid_page: 'error.invalidPage',
  rate_limited: 'error.rateLimited',
  unauthenticated: 'error.signIn',
  team_not_found: 'error.teamNotFound',
  not_team_member: 'error.notMember',
  owner_required: 'error.ownerRequired',
  audit_reader_required: 'error.auditReader',
  consent_required: 'error.consent',
  forbidden: 'error.forbidden',
  list_not_found: 'error.listNotFound',
  patient_not_found: 'error.patientNotFound',
  patient_not_on_list: 'error.patientNotOnList',
  not_ehr_mode: 'error.notEhrMode',
  not_manual_mode: 'error.notManualMode',
  version_conflict: 'error.versionConflict',
  schema_conflict: 'error.schemaConflict',
  list_full: 'error.listFull',
  too_many_lists: 'error.tooManyLists',
  note_revisions_full: 'error.noteRevisionsFull',
  too_many_notes: 'error.tooManyNotes',
  roster_full: 'error.rosterFull',
  ehr_unreachable: 'error.ehrUnreachable',
  ehr_timeout: 'error.ehrTimeout',
  not_fhir: 'error.notFhir',
  unsupported_version: 'error.unsupportedVersion',
  no_patient_support: 'error.noPatientSupport',
  token_refused: 'error.tokenRefused',
  link_not_allowed: 'error.linkNotAllowed',
  ehr_error: 'error.ehr',
  throttled: 'error.throttled',
  too_much_contention: 'error.tooMuchContention',
  audit_unavailable: 'error.auditUnavailable',
  team_site_not_found: 'error.teamSite',
  team_site_provisioning: 'error.teamSiteSettingUp',
  graph_failed: 'error.graph',
  unknown_user: 'error.unknownUser',
};

/**
 * Codes whose words are the tab's in English too: the server's carry nothing more for the user
 * (a 412's may speak to API callers, `"confirm": true`; a busy store's says less than ours).
 */
const ownWordsCodes: ReadonlySet<string> = new Set<ErrorCode>(['precondition_failed', 'too_much_contention']);

/** Codes of errors the tab makes itself, already in the active language. */
const tabCodes = new Set(['network_error', 'http_error', 'bad_answer', 'teams_sign_in']);

const withReference = (text: string, error: ApiError) => (error.requestId ? `${text} ${t('error.reference', { requestId: error.requestId })}` : text);

/**
 * What to tell the user about an error. The server states problems in English, with details
 * (the field, the address) that English keeps; the other languages get the catalog's words for
 * the problem's code. Errors the tab makes itself are already in the active language. A code the
 * tab does not know gets the general words and the server's request id, to quote when asking for help.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error instanceof ApiError) || tabCodes.has(error.code)) return error.message;
  const key = Object.hasOwn(messageOfCode, error.code) ? messageOfCode[error.code as ErrorCode] : undefined;
  if (error.code === 'rate_limited') {
    return error.retryAfter ? t('error.rateLimitedFor', { duration: durationText(error.retryAfter) }) : t('error.rateLimited');
  }
  if (!key) return withReference(t('error.server'), error);
  const text = currentLanguage() === 'en' && error.message && !ownWordsCodes.has(error.code) ? error.message : t(key);
  return key === 'error.server' ? withReference(text, error) : text;
}
