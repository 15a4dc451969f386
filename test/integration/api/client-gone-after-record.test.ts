import express, { type NextFunction, type Request, type Response } from 'express';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { CLIENT_CLOSED_REQUEST, onCommit, recordFailedAfterRead, recordRead, recordRefusal } from '../../../server/features/shared/audit-trail';
import { apiRouter, endpoints } from '../../../server/features/shared/endpoint';
import { errorHandler, toProblem } from '../../../server/platform/error-handler';
import { withRequestContext, type Caller } from '../../../server/platform/request-context';
import type { AuditLog } from '../../../server/storage/ports';

/**
 * Any route added through endpoints(): a caller who goes away after the call's success was
 * recorded, before its answer was completely written, gets a failure record (499) for each success
 * record of the call, once its handler is done; a route that records the leaving itself (as the
 * list view does for its rows not sent) gets no second one; and a read about to be recorded when
 * the caller is already gone is recorded as that failure instead of a success. A call that fails
 * after a change committed keeps the change's success alone (the change stands), while a read it
 * recorded gets its failure record. The routes here stand in for the API's, so the caller can
 * leave, or the call fail, at the moment each case needs.
 */
const caller: Caller = { tenantId: 'tenant-a', userId: 'user-1', roles: [] };
const appended: AuditEvent[] = [];
let committed: () => void = () => undefined;
const log: AuditLog = {
  async ready() {},
  async append(...events) {
    appended.push(...events);
    committed();
  },
  async *query() {},
  async close() {},
};

/** Until the answer's connection closed (at once if it has). */
const gone = (res: Response) => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));

let server: ReturnType<express.Express['listen']>;
let port: number;

beforeAll(async () => {
  const api = apiRouter();
  const ep = endpoints(api, {
    verifyToken: async () => caller,
    membership: {} as never,
    rateLimits: { perCaller: () => (_q: Request, _s: Response, next: NextFunction) => next(), failedAuth: {} } as never,
  });
  // A read: recorded, then (when told) the answer waits until the caller is gone.
  ep.get('/teams/:teamId/patients/:patientId', { audit: 'PatientView', access: 'caller' }, async (req, res) => {
    await recordRead(log, 'PatientView', { patientIds: [String(req.params.patientId)] });
    if (req.query.wait) await gone(res);
    res.json({ id: req.params.patientId });
  });
  // A read whose caller is gone before it is recorded.
  ep.get('/teams/:teamId/late/:patientId', { audit: 'PatientView', access: 'caller' }, async (req, res) => {
    await gone(res);
    await recordRead(log, 'PatientView', { patientIds: [String(req.params.patientId)] });
    res.json({ id: req.params.patientId });
  });
  // A change committed with its records (as a store commits them), then the caller leaves.
  ep.post('/teams/:teamId/patients/:patientId/notes', { audit: 'PatientNoteAdd', access: 'caller' }, async (req, res) => {
    await log.append(...onCommit('PatientNoteAdd', () => ({ patientIds: [String(req.params.patientId)], status: 201 }))(null));
    await gone(res);
    res.status(201).json({});
  });
  // A change committed with its records, then (when told) a read recorded, then the call fails (a store step after the change).
  ep.post('/teams/:teamId/patients/:patientId/fields', { audit: ['PatientDetailsEdit', 'PatientView'], access: 'caller' }, async (req) => {
    await log.append(...onCommit('PatientDetailsEdit', () => ({ patientIds: [String(req.params.patientId)] }))(null));
    if (req.query.read) await recordRead(log, 'PatientView', { patientIds: [String(req.params.patientId)] });
    throw Object.assign(new Error('the store failed after the change'), { status: 502 });
  });
  // A streamed read that records its caller's leaving itself, as the list view does: 499 for the rows not sent only.
  ep.get('/teams/:teamId/lists/:listId', { audit: 'PatientListView', access: 'caller' }, async (req, res) => {
    await recordRead(log, 'PatientListView', { patientIds: ['p1', 'p2', 'p3'] });
    res.write('{"rows":[');
    await gone(res);
    await recordFailedAfterRead(log, 'PatientListView', { patientIds: ['p3'], status: CLIENT_CLOSED_REQUEST });
  });
  api.use(async (err: unknown, req: Request, _res: Response, next: NextFunction) => {
    await recordRefusal(log, toProblem(err).status);
    next(err);
  });
  const app = express().use(withRequestContext).use('/api', api).use(errorHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const team = 'c0ffee00-0000-4000-8000-00000000a001';

/** Calls `path`; `leave`: goes away once the call's first record is written (or at once: 'now'). */
async function call(method: string, path: string, leave?: 'after-record' | 'now'): Promise<[string, string, number, string | null][]> {
  const from = appended.length;
  const recorded = new Promise<void>((resolve) => (committed = resolve));
  const req = request({ host: '127.0.0.1', port, method, path: `/api/teams/${team}${path}`, headers: { authorization: 'Bearer any' } });
  req.on('error', () => undefined);
  const answered = new Promise<void>((resolve) => {
    req.once('close', () => resolve());
    req.on('response', (res) => res.resume().on('end', () => resolve()));
  });
  req.end();
  if (leave === 'after-record') await recorded;
  if (leave === 'now') await new Promise((resolve) => setTimeout(resolve, 50));
  if (leave) req.destroy();
  await answered;
  // The handler finishes, and the records of a caller who left follow.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return appended.slice(from).map((e) => [e.operation, e.outcome, e.status, e.patientId]);
}

it('records a read whose caller stayed as one success', async () => {
  expect(await call('GET', '/patients/p1')).toEqual([['PatientView', 'success', 200, 'p1']]);
});

it('records a read whose caller left after its success was recorded, before the answer was written, as a failure (499) too', async () => {
  expect(await call('GET', '/patients/p1?wait=1', 'after-record')).toEqual([
    ['PatientView', 'success', 200, 'p1'],
    ['PatientView', 'failure', CLIENT_CLOSED_REQUEST, 'p1'],
  ]);
});

it('records a read whose caller left before it was recorded as a failure (499) only', async () => {
  expect(await call('GET', '/late/p1', 'now')).toEqual([['PatientView', 'failure', CLIENT_CLOSED_REQUEST, 'p1']]);
});

it('leaves a change committed for a caller who then left as the success it is: the note was written, whoever was told', async () => {
  expect(await call('POST', '/patients/p1/notes', 'after-record')).toEqual([['PatientNoteAdd', 'success', 201, 'p1']]);
});

it('adds no second 499 to a route that records its caller leaving itself', async () => {
  expect(await call('GET', '/lists/l1', 'after-record')).toEqual([
    ['PatientListView', 'success', 200, 'p1'],
    ['PatientListView', 'success', 200, 'p2'],
    ['PatientListView', 'success', 200, 'p3'],
    ['PatientListView', 'failure', CLIENT_CLOSED_REQUEST, 'p3'],
  ]);
});

it('keeps the success of a change committed before the call failed, and gives no failure record that contradicts it', async () => {
  const records = await call('POST', '/patients/p1/fields');
  expect(records[0]).toEqual(['PatientDetailsEdit', 'success', 200, 'p1']);
  expect(records.filter(([operation, outcome]) => operation === 'PatientDetailsEdit' && outcome === 'failure')).toEqual([]);
});

it('records a read of a call that failed after it as a failure too, beside the change that stands', async () => {
  const records = await call('POST', '/patients/p1/fields?read=1');
  expect(records.filter(([operation]) => operation === 'PatientDetailsEdit')).toEqual([['PatientDetailsEdit', 'success', 200, 'p1']]);
  expect(records.filter(([operation]) => operation === 'PatientView').map(([, outcome]) => outcome)).toEqual(['success', 'failure']);
});
