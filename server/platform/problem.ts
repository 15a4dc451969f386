import { problemStatuses, type ErrorCode } from '../../contract/errors.js';
import type { FieldIssue } from '../../contract/manual-issues.js';

/** The one error shape of the API: `{code, message, requestId}`, its status from the contract. */
export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `validation_failed`: the paths of the fields at fault (`url`, `fields.2.label`), for programs; the message names them in words. */
    readonly fields?: string[],
    /** For `validation_failed` of team field values: why each was refused, as codes the tab words in the user's language. */
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'Problem';
    this.status = problemStatuses[code];
  }
}

/**
 * An error of a layer below the API (the EHR client, Graph) that carries one of the contract's
 * codes: the error handler answers it as that problem, without knowing the layer.
 */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** The status the layer below answered, where there was one (not the API's). */
    readonly status?: number,
    /** How long the layer below asked to be left alone: the API's answer says so in `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const problem = (code: ErrorCode, message: string) => new Problem(code, message);
