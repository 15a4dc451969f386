import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { auditRoutes } from '../../../server/features/audit/audit-routes';
import { recordRefusal } from '../../../server/features/shared/audit-trail';
import { apiRouter, endpoints } from '../../../server/features/shared/endpoint';
import { errorHandler, toProblem } from '../../../server/platform/error-handler';
import { withRequestContext, type Caller } from '../../../server/platform/request-context';
import type { AuditLog } from '../../../server/storage/ports';

/**
 * The audit routes as app.ts mounts them on 127.0.0.1, the caller (`caller`) verified by any Bearer
 * token, a refusal recorded in `log` (the socket destroyed if it cannot be) before the error
 * handler answers. `exportCeiling` is given to the routes (their own default when left out).
 * Gives the API's base URL and a function that closes the server.
 */
export async function serveAuditRoutes(
  log: AuditLog,
  caller: Caller,
  exportCeiling?: number,
): Promise<{ url: string; close: () => Promise<unknown> }> {
  const api = apiRouter();
  const ep = endpoints(api, {
    verifyToken: async () => caller,
    membership: {} as never,
    rateLimits: { perCaller: () => (_q: Request, _s: Response, next: NextFunction) => next(), failedAuth: {} } as never,
  });
  auditRoutes(ep, { store: { audit: log } } as never, exportCeiling);
  api.use(async (err: unknown, req: Request, _res: Response, next: NextFunction) => {
    try {
      await recordRefusal(log, toProblem(err).status);
    } catch {
      req.socket.destroy();
      return;
    }
    next(err);
  });
  const app = express().use(withRequestContext).use('/api', api).use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
