import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { logger } from './logger.js';
import { currentRequestId } from './request-context.js';

const routeBase = Symbol('routeBase');
type WithBase = IncomingMessage & Partial<Pick<Request, 'baseUrl' | 'route'>> & { [routeBase]?: string };

/**
 * Put first in a router whose routes are logged by template: the router's mount path, which
 * Express takes off `req.baseUrl` again when an error leaves the router before the answer is sent.
 */
export function rememberRouteBase(req: Request, _res: Response, next: NextFunction): void {
  (req as WithBase)[routeBase] = req.baseUrl;
  next();
}

/**
 * The route that answered, as its template (`/api/teams/:teamId/patients/:patientId`), or the
 * router's mount path with `/*` when no route matched (a 404, a file of the tab). Never the
 * path itself, which holds patient ids, nor the query string, which holds searched names and MRNs.
 */
export function routeTemplate(req: IncomingMessage): string {
  const r = req as WithBase;
  const base = r[routeBase] ?? r.baseUrl ?? '';
  const path = r.route?.path;
  return typeof path === 'string' ? `${base}${path}` : `${base}/*`;
}

/**
 * One log line per answered request: request id, method, route template, status, duration in
 * ms, and whether the client went away (or shutdown cut it) before the answer was complete.
 * Nothing of the URL, the headers or the bodies.
 */
export function requestLog(): RequestHandler {
  const omit = () => undefined;
  return pinoHttp({
    logger,
    genReqId: (req) => currentRequestId() ?? String((req as { id?: unknown }).id ?? ''),
    // The line is made here, from what is safe; pino-http's own request and response serializers are not used.
    serializers: { req: omit, res: omit, err: omit },
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => line(req, res, value.responseTime),
    customErrorObject: (req, res, _err, value: { responseTime: number }) => line(req, res, value.responseTime),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  }) as unknown as RequestHandler;
}

function line(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  return {
    requestId: (req as { id?: unknown }).id,
    method: req.method,
    route: routeTemplate(req),
    status: res.statusCode,
    durationMs,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
}
