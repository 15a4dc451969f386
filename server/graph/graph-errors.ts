/**
 * Why a call to the team's SharePoint site through Graph could not be made. Messages carry no
 * patient data and no tokens; the API layer maps `code` to an HTTP answer with `httpStatusOf`.
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
  /** Graph kept answering 429/503 after the retries. */
  | 'throttled'
  /** Too many concurrent edits of one item: the eTag retries ran out. */
  | 'too_much_contention'
  /** Graph could not be reached or answered in an unexpected way. */
  | 'graph_failed';

export class GraphAccessError extends Error {
  constructor(
    readonly code: GraphAccessCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphAccessError';
  }
}

export function httpStatusOf(code: GraphAccessCode): number {
  switch (code) {
    case 'unauthenticated':
      return 401;
    case 'consent_required':
    case 'forbidden':
      return 403;
    case 'team_site_not_found':
      return 404;
    case 'throttled':
    case 'too_much_contention':
      return 503;
    case 'graph_failed':
      return 502;
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

export const isStatus = (err: unknown, status: number): err is GraphRequestFailed =>
  err instanceof GraphRequestFailed && err.status === status;
