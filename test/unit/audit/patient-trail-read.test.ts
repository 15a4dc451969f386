import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_READER_ROLE, type AuditEvent } from '../../../contract/audit';
import type { Caller } from '../../../server/platform/request-context';
import { AuditStoreError } from '../../../server/storage/audit-store-error';
import type { AuditLog, AuditQuery } from '../../../server/storage/ports';
import { serveAuditRoutes } from './audit-route-server';

/**
 * A read of the trail filtered by a patient id names the patient in its own record when it gives
 * any record of theirs, not only when it is deliberate (a CSV export, more than a screenful, a page
 * continued): a screenful can be a patient's whole trail. Its record is committed before any
 * record is given, so the first record is taken from the store before the read is recorded.
 */

const reader: Caller = { tenantId: 'tenant-a', userId: 'reader-1', roles: [AUDIT_READER_ROLE] };

const record = (i: number, patientId: string): AuditEvent => ({
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
  operation: 'PatientView',
  outcome: 'success',
  status: 200,
  tenantId: 'tenant-a',
  teamId: null,
  userId: 'nurse-1',
  patientId,
  listId: null,
  requestId: `old-${i}`,
});

/**
 * An audit log in memory, filtered by patient only, telling each record's key before giving it;
 * `failFirst`: its read fails on the first record; `failAppend`: nothing can be appended.
 * `given` lists, for each record the store gave, how many records were appended by then.
 */
function memoryLog(stored: AuditEvent[], options: { failFirst?: boolean; failAppend?: boolean } = {}) {
  const appended: AuditEvent[] = [];
  const given: number[] = [];
  const log: AuditLog = {
    async ready() {},
    async append(...events) {
      if (options.failAppend) throw new AuditStoreError('appending failed');
      appended.push(...events);
    },
    async *query(q: AuditQuery) {
      if (options.failFirst) throw new AuditStoreError('reading the audit trail failed');
      const start = q.after === undefined ? 0 : Number(q.after.split('|')[1]) + 1;
      const matching = [...stored, ...appended].filter((e) => !q.patientId || e.patientId === q.patientId);
      for (let i = start; i < Math.min(matching.length, start + q.limit); i++) {
        q.onKey?.(`${matching[i].time}|${i}`);
        given.push(appended.length);
        yield matching[i];
      }
    },
    async close() {},
  };
  return { log, appended, given };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** The audit routes as app.ts mounts them, the caller verified by any Bearer token. */
async function serveAudit(log: AuditLog) {
  const served = await serveAuditRoutes(log, reader);
  close = served.close;
  const url = served.url;
  return async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: 'Bearer any' } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as { events?: AuditEvent[]; more?: boolean; next?: string } | null };
  };
}

const recorded = (appended: AuditEvent[]) => appended.map((e) => [e.operation, e.outcome, e.status, e.patientId]);

describe('a read of the trail filtered by a patient id, a screenful (not deliberate)', () => {
  it('names the patient when it gives any record of theirs, its record committed before the first is given', async () => {
    const { log, appended, given } = memoryLog([record(0, 'pat-1'), record(1, 'pat-1'), record(2, 'pat-2')]);
    const get = await serveAudit(log);
    const res = await get('/audit?patient=pat-1');
    expect(res.status).toBe(200);
    expect(res.body?.events?.map((e) => e.requestId)).toEqual(['old-0', 'old-1']);
    expect(recorded(appended)).toEqual([['AuditView', 'success', 200, 'pat-1']]);
    // The store gave the first record before the read was recorded (it is held until then), the rest after it.
    expect(given).toEqual([0, 1]);
  });

  it('names no one when it gives nothing (a part of an id), and names no one without a patient filter', async () => {
    const { log, appended } = memoryLog([record(0, 'pat-1')]);
    const get = await serveAudit(log);
    expect((await get('/audit?patient=pat')).body?.events).toEqual([]);
    expect((await get('/audit')).body?.events?.map((e) => e.requestId)).toEqual(['old-0', appended[0].requestId]);
    expect(recorded(appended)).toEqual([
      ['AuditView', 'success', 200, null],
      ['AuditView', 'success', 200, null],
    ]);
  });

  it('continues after its first record (the one taken before the read was recorded)', async () => {
    const { log } = memoryLog([record(0, 'pat-1'), record(1, 'pat-1'), record(2, 'pat-1')]);
    const get = await serveAudit(log);
    const first = await get('/audit?patient=pat-1&limit=1');
    expect(first.body).toMatchObject({ events: [{ requestId: 'old-0' }], more: true });
    expect(first.body?.next).toEqual(expect.any(String));
    const second = await get(`/audit?patient=pat-1&limit=1&after=${encodeURIComponent(first.body!.next!)}`);
    expect(second.status).toBe(200);
    expect(second.body?.events?.map((e) => e.requestId)).toEqual(['old-1']);
  });

  it('refuses it as a failure naming no one when the store fails on its first record', async () => {
    const { log, appended } = memoryLog([record(0, 'pat-1')], { failFirst: true });
    const get = await serveAudit(log);
    const res = await get('/audit?patient=pat-1');
    expect(res.status).toBe(503);
    expect(res.body?.events).toBeUndefined();
    expect(recorded(appended)).toEqual([['AuditView', 'failure', 503, null]]);
  });

  it('names the patient in the failure of a deliberate read whose store fails on its first record, as before', async () => {
    const { log, appended } = memoryLog([record(0, 'pat-1')], { failFirst: true });
    const get = await serveAudit(log);
    const res = await get('/audit?patient=pat-1&limit=6000');
    expect(res.status).toBe(503);
    expect(recorded(appended)).toEqual([['AuditView', 'failure', 503, 'pat-1']]);
  });

  it('gives no record when its own record cannot be committed', async () => {
    const { log } = memoryLog([record(0, 'pat-1')], { failAppend: true });
    const get = await serveAudit(log);
    const res = await get('/audit?patient=pat-1').catch(() => ({ status: 0, body: null }));
    expect(res.status).not.toBe(200);
    expect(res.body?.events).toBeUndefined();
  });
});
