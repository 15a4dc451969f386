import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import type { AuditLog } from '../../../server/storage/ports';
import { openSqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';

let dir: string;
let log: AuditLog;
const event = (over: Partial<AuditEvent>): AuditEvent => ({
  time: '2026-11-23T08:00:00.000Z',
  operation: 'PatientView',
  outcome: 'success',
  status: 200,
  tenantId: 'tenant-a',
  teamId: 'team-1',
  userId: 'user-1',
  patientId: 'p1',
  listId: null,
  requestId: 'r1',
  ...over,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-audit-'));
  log = openSqliteAuditLog(join(dir, 'audit.sqlite'));
});
afterEach(() => {
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite audit log', () => {
  it('answers by tenant, time range, user, patient and operation, in order of recording', () => {
    log.append(event({ requestId: 'r1' }));
    log.append(event({ requestId: 'r2', time: '2026-11-23T09:00:00.000Z', userId: 'user-2', patientId: 'p2' }));
    log.append(event({ requestId: 'r3', operation: 'PatientSearch', patientId: null, outcome: 'failure', status: 400 }));
    log.append(event({ requestId: 'r4', tenantId: 'tenant-b' }));
    const ids = (q: Partial<Parameters<AuditLog['query']>[0]>) => log.query({ tenantId: 'tenant-a', limit: 100, ...q }).map((e) => e.requestId);
    expect(ids({})).toEqual(['r1', 'r2', 'r3']);
    expect(ids({ from: '2026-11-23T08:30:00.000Z' })).toEqual(['r2']);
    expect(ids({ to: '2026-11-23T08:30:00.000Z' })).toEqual(['r1', 'r3']);
    expect(ids({ userId: 'user-2' })).toEqual(['r2']);
    expect(ids({ patientId: 'p1' })).toEqual(['r1']);
    expect(ids({ operation: 'PatientSearch' })).toEqual(['r3']);
    expect(log.query({ tenantId: 'tenant-a', limit: 100, operation: 'PatientSearch' })[0]).toEqual(
      event({ requestId: 'r3', operation: 'PatientSearch', patientId: null, outcome: 'failure', status: 400 }),
    );
  });

  it('refuses to change or delete a record', () => {
    log.append(event({}));
    log.close();
    const db = new Database(join(dir, 'audit.sqlite'));
    expect(() => db.prepare("UPDATE audit_events SET outcome = 'failure'").run()).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow('append-only');
    db.close();
    log = openSqliteAuditLog(join(dir, 'audit.sqlite'));
    expect(log.query({ tenantId: 'tenant-a', limit: 10 })).toHaveLength(1);
  });
});
