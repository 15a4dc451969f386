import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import type { ErrorCode } from '../../contract/errors.js';
import { logger } from './logger.js';
import { CodedError, Problem } from './problem.js';
import { currentRequestId } from './request-context.js';
import { validationMessage } from './validation-message.js';

/**
 * Turns anything thrown into the API's problem shape. Unknown errors never leak their text. The
 * request, when given, names the route, so a validation message names fields as its form does.
 */
export function toProblem(err: unknown, request?: { method: string; path: string }): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof CodedError) return new Problem(err.code, err.message);
  if (err instanceof ZodError) {
    // Saying what was wrong must never fail the answer (or its audit record): at worst, in general words.
    try {
      const { message, fields } = validationMessage(err, request);
      return new Problem('validation_failed', message, fields);
    } catch {
      return new Problem('validation_failed', 'The request is not valid.');
    }
  }
  const httpErr = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown } | null | undefined;
  if (httpErr?.type === 'entity.parse.failed') return new Problem('malformed_json', 'The request body is not valid JSON.');
  if (httpErr?.type === 'entity.too.large') return new Problem('payload_too_large', 'The request body is too large.');
  if (httpErr?.type === 'encoding.unsupported' || httpErr?.type === 'charset.unsupported')
    return new Problem('unsupported_encoding', 'The request body encoding is not supported.');
  const status = clientErrorStatus(httpErr);
  // Express decodes path parameters with decodeURIComponent and reports a bad %-sequence as a URIError with status 400.
  if (err instanceof URIError && status === 400) return new Problem('malformed_path', 'The address contains malformed percent-encoding.');
  // Other client errors Express and body-parser mark as safe to answer (http-errors' `expose`): their status, our words.
  if (status !== undefined && httpErr?.expose === true) {
    const [code, message] = clientErrors[status] ?? ['bad_request', 'The request could not be understood.'];
    return new Problem(code, message);
  }
  return new Problem('internal_error', 'Something went wrong on our side. Try again, and quote the request id if it persists.');
}

/** The 4xx status an HTTP error from Express or body-parser carries (`status` or `statusCode`), if any. */
function clientErrorStatus(err: { status?: unknown; statusCode?: unknown } | null | undefined): number | undefined {
  const status = err?.status ?? err?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499 ? status : undefined;
}

const clientErrors: Record<number, [ErrorCode, string]> = {
  400: ['bad_request', 'The request could not be understood.'],
  403: ['forbidden', 'This request is not allowed.'],
  404: ['not_found', 'There is nothing at this address.'],
  405: ['method_not_allowed', 'This address does not accept this method.'],
  408: ['request_timeout', 'The request took too long to arrive.'],
  411: ['length_required', 'The request must give its length.'],
  412: ['precondition_failed', 'A condition of the request does not hold.'],
  413: ['payload_too_large', 'The request is too large.'],
  414: ['uri_too_long', 'The address is too long.'],
  415: ['unsupported_media_type', 'The request body type is not supported.'],
  416: ['range_not_satisfiable', 'The requested range is not available.'],
  431: ['headers_too_large', 'The request headers are too large.'],
};

/**
 * What the log may say about an unexpected error: its class, its code (such as `SQLITE_BUSY`)
 * and the stack's frames. Never the message: the first lines of a stack repeat it, and messages
 * of foreign errors can carry request data (a patient's name, an id in a failed query).
 */
export function loggableError(err: unknown): { name: string; code?: string; frames?: string } {
  if (!(err instanceof Error)) return { name: err === null ? 'null' : typeof err };
  const name = /^[\w$.]{1,100}$/.test(err.name) ? err.name : (err.constructor?.name ?? 'Error');
  const code = (err as { code?: unknown }).code;
  // V8 stacks start with `${name}: ${message}`: drop everything up to the message's end (it can
  // span lines, and the name may have changed since the stack was taken), then keep the `at` lines.
  const stack = typeof err.stack === 'string' ? err.stack : undefined;
  const messageAt = stack && err.message ? stack.indexOf(err.message) : -1;
  const frames =
    stack !== undefined
      ? (messageAt >= 0 ? stack.slice(messageAt + err.message.length) : stack)
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .map((line) => line.trim())
          .join('\n')
      : undefined;
  return {
    name,
    ...(typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? { code } : {}),
    ...(frames ? { frames } : {}),
  };
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const problem = toProblem(err, { method: req.method, path: req.originalUrl });
  if (problem.status >= 500 && err instanceof Problem) {
    // An answer the app chose (the EHR unreachable, say): expected, by its code alone, so that
    // "unhandled error" stays the mark of a fault in the app.
    logger.warn({ code: problem.code, status: problem.status }, 'request failed');
  } else if (problem.status >= 500 && !(err instanceof CodedError)) {
    // The error's class and stack frames only: messages of foreign errors could carry request data.
    logger.error({ err: loggableError(err) }, 'unhandled error');
  } else if (problem.status >= 500 && err instanceof CodedError) {
    // A store's own failure (the audit trail's, say): its code, and what failed below where it says, written for the log.
    const detail = (err as unknown as { detail?: unknown }).detail;
    if (typeof detail === 'string') logger.error({ code: problem.code, detail }, 'a store failed');
  }
  if (res.headersSent) {
    // A streamed answer cannot turn into an error any more: cut it off, so it never parses as complete.
    res.destroy();
    return;
  }
  // An error is about this request alone: no browser or proxy keeps it.
  res.setHeader('Cache-Control', 'no-store');
  if (err instanceof CodedError && err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  res.status(problem.status).json({
    code: problem.code,
    message: problem.message,
    requestId: currentRequestId() ?? null,
    ...(problem.fields?.length ? { fields: problem.fields } : {}),
    ...(problem.issues?.length ? { issues: problem.issues } : {}),
  });
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new Problem('route_not_found', 'There is no such API route.'));
}

/** Outside the API: an address no page, file or dev route answers. */
export function pageNotFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new Problem('not_found', 'There is nothing at this address.'));
}
