import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { FhirError, type FhirErrorCode } from '../fhir/types.js';
import { GraphAccessError, httpStatusOf } from '../graph/graph-errors.js';
import { logger } from './logger.js';
import { Problem } from './problem.js';
import { currentRequestId } from './request-context.js';

const fhirStatus: Record<FhirErrorCode, number> = {
  link_not_allowed: 400,
  not_fhir: 422,
  unsupported_version: 422,
  no_patient_support: 422,
  token_refused: 502,
  ehr_unreachable: 502,
  ehr_error: 502,
  ehr_timeout: 504,
};

/** Turns anything thrown into the API's problem shape. Unknown errors never leak their text. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof FhirError) return new Problem(fhirStatus[err.code] ?? 502, err.code, err.message);
  if (err instanceof GraphAccessError) return new Problem(httpStatusOf(err.code), err.code, err.message);
  if (err instanceof ZodError) return new Problem(400, 'validation_failed', describeZodError(err));
  const httpErr = err as { type?: string; status?: number };
  if (httpErr?.type === 'entity.parse.failed') return new Problem(400, 'malformed_json', 'The request body is not valid JSON.');
  if (httpErr?.type === 'entity.too.large') return new Problem(413, 'payload_too_large', 'The request body is too large.');
  if (httpErr?.type === 'encoding.unsupported' || httpErr?.type === 'charset.unsupported')
    return new Problem(415, 'unsupported_encoding', 'The request body encoding is not supported.');
  return new Problem(500, 'internal_error', 'Something went wrong on our side. Try again, and quote the request id if it persists.');
}

export function describeZodError(err: ZodError): string {
  return err.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const problem = toProblem(err);
  if (problem.status >= 500 && !(err instanceof FhirError)) {
    // Log the error class and stack only: messages of foreign errors could carry request data.
    logger.error({ err: { name: (err as Error)?.name, stack: (err as Error)?.stack } }, 'unhandled error');
  }
  if (res.headersSent) {
    // A streamed answer cannot turn into an error any more: cut it off, so it never parses as complete.
    res.destroy();
    return;
  }
  res.status(problem.status).json({ code: problem.code, message: problem.message, requestId: currentRequestId() ?? null });
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new Problem(404, 'route_not_found', 'There is no such API route.'));
}
