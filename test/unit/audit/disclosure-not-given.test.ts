import express from 'express';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { recordDisclosure, recordRefusal } from '../../../server/features/shared/audit-trail';
import { apiRouter, endpoints } from '../../../server/features/shared/endpoint';
import { errorHandler, toProblem } from '../../../server/platform/error-handler';
import { Problem } from '../../../server/platform/problem';
import { withRequestContext, type Caller } from '../../../server/platform/request-context';
import type { AuditLog } from '../../../server/storage/ports';

/**
 * A refusal whose answer names patients (an MRN the team has, a schema change that would break
 * their values, an import's rows already in the team) is a read of them, recorded as given. A
 * caller who went away before it was made is given nothing: that read is recorded as not given
 * (499), never as a success, as any read is.
 */
const member: Caller = { tenantId: 'tenant-a', userId: 'member-1', roles: [] };
let close: (() => Promise<unknown>) | undefined;
afterEach(() => close?.());

function memoryLog(): AuditLog & { appended: AuditEvent[] } {
  const appended: AuditEvent[] = [];
  return {
    appended,
    async ready() {},
    async append(...events) {
      appended.push(...events);
    },
    async *query() {},
    async close() {},
  };
}

/** A route refused with an answer naming patient p-1, once `ready` lets it go on. */
async function serveRefusal(log: AuditLog, ready: Promise<unknown>): Promise<string> {
  const api = apiRouter();
  const ep = endpoints(api, {
    verifyToken: async () => member,
    membership: {} as never,
    rateLimits: { perCaller: () => (_q: unknown, _s: unknown, next: () => void) => next(), failedAuth: {} } as never,
  });
  ep.get('/refusal', { audit: 'PatientDetailsEdit', access: 'caller' }, async () => {
    await ready;
    await recordDisclosure(log, 'PatientSearch', { patientIds: ['p-1'] });
    throw new Problem('validation_failed', 'A patient of the team has this MRN.');
  });
  api.use(async (err: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
    await recordRefusal(log, toProblem(err).status);
    next(err);
  });
  const app = express().use(withRequestContext).use('/api', api).use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/refusal`;
}

const outcomes = (log: { appended: AuditEvent[] }) => log.appended.map((e) => [e.operation, e.outcome, e.status, e.patientId]);

it('records a refusal naming a patient as a read of them when its caller is there to be told', async () => {
  const log = memoryLog();
  const url = await serveRefusal(log, Promise.resolve());
  const answer = await fetch(url, { headers: { authorization: 'Bearer any' } });
  expect(answer.status).toBe(400);
  expect(outcomes(log)).toEqual([
    ['PatientSearch', 'success', 200, 'p-1'],
    ['PatientDetailsEdit', 'failure', 400, null],
  ]);
});

it('records it as not given (499), never as a success, when its caller went away before it was made', async () => {
  const log = memoryLog();
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const url = await serveRefusal(log, left);
  // The caller sends the request and goes away before the refusal is made.
  const sent = request(url, { headers: { authorization: 'Bearer any' } });
  sent.on('error', () => undefined);
  sent.end();
  await new Promise((resolve) => setTimeout(resolve, 100));
  sent.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  leave();
  await expect.poll(() => log.appended.length).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(outcomes(log)).toEqual([
    ['PatientSearch', 'failure', 499, 'p-1'],
    ['PatientDetailsEdit', 'failure', 400, null],
  ]);
});
