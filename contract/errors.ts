import { z } from 'zod';
import { fieldIssue } from './manual-issues.js';

/**
 * Every error code the API answers with, and its HTTP status: the one definition. The server
 * builds each problem from it; the tab has words for each code in every language (a test checks).
 */
export const problemStatuses = {
  // The request itself
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  malformed_path: 400,
  invalid_page: 400,
  search_criteria_required: 400,
  link_not_allowed: 400,
  method_not_allowed: 405,
  request_timeout: 408,
  length_required: 411,
  precondition_failed: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  range_not_satisfiable: 416,
  headers_too_large: 431,
  rate_limited: 429,
  // Who is calling
  unauthenticated: 401,
  consent_required: 403,
  forbidden: 403,
  not_team_member: 403,
  owner_required: 403,
  audit_reader_required: 403,
  // What was asked for
  not_found: 404,
  route_not_found: 404,
  team_not_found: 404,
  list_not_found: 404,
  patient_not_found: 404,
  patient_not_on_list: 404,
  unknown_user: 404,
  team_site_not_found: 404,
  not_ehr_mode: 409,
  not_manual_mode: 409,
  schema_conflict: 409,
  list_full: 409,
  too_many_lists: 409,
  note_revisions_full: 409,
  too_many_notes: 409,
  roster_full: 409,
  version_conflict: 412,
  // The EHR
  not_fhir: 422,
  unsupported_version: 422,
  no_patient_support: 422,
  token_refused: 502,
  ehr_unreachable: 502,
  ehr_error: 502,
  ehr_timeout: 504,
  // Microsoft Graph (the team's SharePoint site)
  graph_failed: 502,
  throttled: 503,
  team_site_provisioning: 503,
  too_much_contention: 503,
  // The audit trail: patient data is shown and changed only when its record can be written
  audit_unavailable: 503,
  // Ours
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof problemStatuses;

export const errorCodes = Object.keys(problemStatuses) as ErrorCode[];

export const errorCode = z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]);

/** Every error answer: `{code, message, requestId}` with the code's status. */
export const problemBody = z.object({
  code: errorCode,
  message: z.string(),
  requestId: z.string().nullable(),
  /** `validation_failed` only: the paths of the fields at fault (`url`, `fields.2.label`), for programs; the message names them in words. */
  fields: z.array(z.string()).optional(),
  /** `validation_failed` of a hand-entered patient's save: why each team field's value was refused, as codes for the tab's words. */
  issues: z.array(fieldIssue).optional(),
});
export type ProblemBody = z.infer<typeof problemBody>;
