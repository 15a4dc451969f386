import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { AUDIT_READER_ROLE, type AuditEvent } from '../../../contract/audit';
import { recordRead, recordRefusal } from '../../../server/features/shared/audit-trail';
import { requestContext, withRequestContext, type Caller } from '../../../server/platform/request-context';
import { AuditStoreError } from '../../../server/storage/audit-store-error';
import type { AuditLog, AuditQuery } from '../../../server/storage/ports';
import { serveAuditRoutes } from './audit-route-server';

const reader: Caller = { tenantId: 'tenant-a', userId: 'reader-1', roles: [AUDIT_READER_ROLE] };

/** An audit log in memory whose reads give `stored` records and then, if told, fail. */
function memoryLog(stored: number, failAfter?: number): AuditLog & { appended: AuditEvent[] } {
  const appended: AuditEvent[] = [];
  return {
    appended,
    async ready() {},
    async append(...events) {
      appended.push(...events);
    },
    async *query(q: AuditQuery) {
      for (let i = 0; i < Math.min(stored, q.limit); i++) {
        if (i === failAfter) throw new AuditStoreError('reading the audit trail failed');
        yield { ...appended[0], requestId: `old-${i}`, time: new Date(Date.UTC(2026, 0, 1) + i).toISOString() };
      }
    },
    async close() {},
  };
}

/** The audit routes as app.ts mounts them, the caller verified by any Bearer token. */
async function serveAudit(log: AuditLog, exportCeiling = 1_000_000) {
  const { url, close } = await serveAuditRoutes(log, reader, exportCeiling);
  return {
    get: (path: string) => fetch(`${url}${path}`, { headers: { authorization: 'Bearer any' } }),
    close,
  };
}

const outcomes = (log: { appended: AuditEvent[] }) => log.appended.map((e) => [e.operation, e.outcome, e.status]);

describe('a call that fails after its success was recorded', () => {
  it('gets failure records for what it recorded (same operation, patients, list), with its final status', async () => {
    const log = memoryLog(0);
    const done = new Promise<void>((resolve, reject) => {
      withRequestContext({} as Request, { setHeader() {} } as unknown as Response, () => {
        const context = requestContext();
        context.caller = reader;
        context.audit = { operations: ['PatientDetailsEdit'], teamId: 'team-1', listId: null, patientId: null, recorded: false };
        (async () => {
          await recordRead(log, 'PatientSearch', { patientIds: ['p1', 'p2'] });
          // Then the change fails (412): both show, and a second refusal adds nothing.
          await recordRefusal(log, 412);
          await recordRefusal(log, 412);
        })().then(resolve, reject);
      });
    });
    await done;
    expect(log.appended.map((e) => [e.operation, e.outcome, e.status, e.patientId])).toEqual([
      ['PatientSearch', 'success', 200, 'p1'],
      ['PatientSearch', 'success', 200, 'p2'],
      ['PatientSearch', 'failure', 412, 'p1'],
      ['PatientSearch', 'failure', 412, 'p2'],
      ['PatientDetailsEdit', 'failure', 412, null],
    ]);
    expect(new Set(log.appended.map((e) => e.requestId)).size).toBe(1);
  });

  it('records a read of the audit trail whose store fails on its first record as a failure, before any success is recorded', async () => {
    const log = memoryLog(10, 0);
    await log.append({
      ...({} as AuditEvent),
      operation: 'PatientView',
      outcome: 'success',
      status: 200,
      tenantId: 'tenant-a',
      time: '',
      requestId: 'seed',
    } as AuditEvent);
    const served = await serveAudit(log);
    try {
      const res = await served.get('/audit');
      expect(res.status).toBe(503);
      // The first record is taken before the read is recorded (to tell whether it names the patient filtered by):
      // a store failing on it refuses the read as a store down when it is recorded does, nothing recorded as given.
      expect(outcomes(log).slice(1)).toEqual([['AuditView', 'failure', 503]]);
    } finally {
      await served.close();
    }
  });

  it.each([
    ['its store fails midway', 10_000, 1_200, 1_000_000, 503],
    ['it is cut off at the most one export gives', 20, undefined, 10, 500],
  ])('records a CSV export whose stream breaks after it started (%s) as a failure too', async (_case, stored, failAfter, ceiling, status) => {
    const log = memoryLog(stored, failAfter);
    await log.append({ operation: 'PatientView', outcome: 'success', status: 200, tenantId: 'tenant-a', time: '', requestId: 'seed' } as AuditEvent);
    const served = await serveAudit(log, ceiling);
    try {
      // Cut off without its end: the status line may or may not have reached the client first.
      const text = await served
        .get('/audit?format=csv')
        .then((res) => res.text())
        .then(
          () => 'complete',
          () => 'cut off',
        );
      expect(text).toBe('cut off');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(outcomes(log).slice(1)).toEqual([
        ['AuditExport', 'success', 200],
        ['AuditExport', 'failure', status],
      ]);
    } finally {
      await served.close();
    }
  });
});
