import { CodedError } from '../problem.js';

/**
 * Why a call to the team's SharePoint site through Graph could not be made. Messages carry no
 * patient data and no tokens; the API answers `code` with its status from the contract.
 */
export type GraphAccessCode =
  /** The user (or an admin) has to consent to the app's Graph permissions first. */
  | 'consent_required'
  /** Graph or Azure AD refused the token: sign in again. */
  | 'unauthenticated'
  /** The user may not read or change the team's site. */
  | 'forbidden'
  /** The team has no SharePoint site that Graph can find. */
  | 'team_site_not_found'
  /** The team's site exists in name only: a new team's site is still being provisioned. */
  | 'team_site_provisioning'
  /** Graph kept answering 429/503 after the retries. */
  | 'throttled'
  /** Too many concurrent edits of one item: the eTag retries ran out. */
  | 'too_much_contention'
  /** Graph could not be reached or answered in an unexpected way. */
  | 'graph_failed';

export class GraphAccessError extends CodedError<GraphAccessCode> {
  constructor(code: GraphAccessCode, message: string, status?: number, retryAfterSeconds?: number) {
    super(code, message, status, retryAfterSeconds);
    this.name = 'GraphAccessError';
  }
}

/** A Graph answer the store handles itself (404, 409, 412, 400): status and Graph error code. */
export class GraphRequestFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphRequestFailed';
  }
}

export const isStatus = (err: unknown, status: number): err is GraphRequestFailed => err instanceof GraphRequestFailed && err.status === status;
