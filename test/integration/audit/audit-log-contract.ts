import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import type { AuditLog, AuditQuery } from '../../../server/storage/ports';

/**
 * What every audit store promises the app: records read back as they were appended, oldest
 * first, by tenant and time range with the filters of the audit view, tenants kept apart, paged
 * reads that neither skip nor repeat, and appends that only ever add.
 */
export function auditLogContract(name: string, open: () => Promise<AuditLog>): void {
  describe(`${name}: the audit log contract`, () => {
    it('answers by tenant, time range, team, user, patient and operation, oldest first', async () => {
      const log = await open();
      await log.append(event({ requestId: 'r1' }));
      // Appended later, but earlier in time: it reads first.
      await log.append(event({ requestId: 'r2', time: '2026-11-23T09:00:00.000Z', userId: 'user-2', patientId: 'p2', teamId: 'team-2' }));
      await log.append(event({ requestId: 'r0', time: '2026-11-23T07:00:00.000Z' }));
      await log.append(
        event({ requestId: 'r3', operation: 'PatientSearch', patientId: null, outcome: 'failure', status: 400, time: '2026-11-23T10:00:00.000Z' }),
      );
      await log.append(event({ requestId: 'r4', tenantId: 'tenant-b' }));
      const ids = async (q: Partial<AuditQuery>) => (await readAll(log.query({ tenantId: 'tenant-a', limit: 100, ...q }))).map((e) => e.requestId);
      expect(await ids({})).toEqual(['r0', 'r1', 'r2', 'r3']);
      expect(await ids({ from: '2026-11-23T08:30:00.000Z' })).toEqual(['r2', 'r3']);
      expect(await ids({ to: '2026-11-23T08:30:00.000Z' })).toEqual(['r0', 'r1']);
      // Both ends are inclusive, to the millisecond.
      expect(await ids({ from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T09:00:00.000Z' })).toEqual(['r1', 'r2']);
      expect(await ids({ teamId: 'team-2' })).toEqual(['r2']);
      expect(await ids({ userId: 'user-2' })).toEqual(['r2']);
      expect(await ids({ patientId: 'p1' })).toEqual(['r0', 'r1']);
      expect(await ids({ operation: 'PatientSearch' })).toEqual(['r3']);
      expect(await ids({ tenantId: 'tenant-b' })).toEqual(['r4']);
      expect(await ids({ from: '2026-11-23T11:00:00.000Z' })).toEqual([]);
      await log.close();
    });

    it('reads `to` up to the end of its stated precision: a whole second, a tenth, a minute; exact with milliseconds', async () => {
      const log = await open();
      await log.append(event({ requestId: 'at-58.397', time: '2026-11-23T09:11:58.397Z' }));
      await log.append(event({ requestId: 'at-58.999', time: '2026-11-23T09:11:58.999Z' }));
      await log.append(event({ requestId: 'at-59.000', time: '2026-11-23T09:11:59.000Z' }));
      await log.append(event({ requestId: 'at-12:00.000', time: '2026-11-23T09:12:00.000Z' }));
      const ids = async (to: string) => (await readAll(log.query({ tenantId: 'tenant-a', limit: 100, to }))).map((e) => e.requestId);
      expect(await ids('2026-11-23T09:11:58Z')).toEqual(['at-58.397', 'at-58.999']);
      expect(await ids('2026-11-23T10:11:58+01:00')).toEqual(['at-58.397', 'at-58.999']);
      expect(await ids('2026-11-23T09:11:58.3Z')).toEqual(['at-58.397']);
      expect(await ids('2026-11-23T09:11:58.397Z')).toEqual(['at-58.397']);
      expect(await ids('2026-11-23T09:11:58.396Z')).toEqual([]);
      expect(await ids('2026-11-23T09:11Z')).toEqual(['at-58.397', 'at-58.999', 'at-59.000']);
      await log.close();
    });

    it('says it is ready when it can be written, and is ready without writing anything', async () => {
      const log = await open();
      await log.ready!();
      expect(await readAll(log.query({ tenantId: 'tenant-a', limit: 10 }))).toEqual([]);
      await log.close();
    });

    it('gives a record back exactly as appended, ids that were null as null', async () => {
      const log = await open();
      const failure = event({ operation: 'PatientSearch', outcome: 'failure', status: 401, teamId: null, patientId: null, listId: null });
      const listed = event({ operation: 'PatientListAddPatient', listId: 'list-7', status: 201, time: '2026-11-23T08:00:00.001Z' });
      await log.append(failure, listed);
      expect(await readAll(log.query({ tenantId: 'tenant-a', limit: 10 }))).toEqual([failure, listed]);
      await log.close();
    });

    it('keeps tenants apart whatever their ids hold', async () => {
      const log = await open();
      const tenants = ['t1', 't10', 't1|2026', "o'brien", 'a/b#c?d', 'tenant a'];
      for (const tenantId of tenants) await log.append(event({ tenantId, requestId: `of ${tenantId}` }));
      for (const tenantId of tenants) {
        expect((await readAll(log.query({ tenantId, limit: 10 }))).map((e) => e.requestId)).toEqual([`of ${tenantId}`]);
        const day = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z' };
        expect((await readAll(log.query({ tenantId, limit: 10, ...day }))).map((e) => e.requestId)).toEqual([`of ${tenantId}`]);
      }
      await log.close();
    });

    it('reads across days: a range over midnight, a range of months, and open ranges', async () => {
      const log = await open();
      const times = ['2026-09-30T12:00:00.000Z', '2026-11-22T23:59:59.999Z', '2026-11-23T00:00:00.000Z', '2026-11-24T06:00:00.000Z'];
      for (const [i, time] of times.entries()) await log.append(event({ time, requestId: `r${i}` }));
      const ids = async (q: Partial<AuditQuery>) => (await readAll(log.query({ tenantId: 'tenant-a', limit: 100, ...q }))).map((e) => e.requestId);
      expect(await ids({ from: '2026-11-22T12:00:00.000Z', to: '2026-11-23T12:00:00.000Z' })).toEqual(['r1', 'r2']);
      expect(await ids({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z' })).toEqual(['r2']);
      expect(await ids({ from: '2026-09-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' })).toEqual(['r0', 'r1', 'r2', 'r3']);
      expect(await ids({ from: '2026-11-23T00:00:00.000Z' })).toEqual(['r2', 'r3']);
      expect(await ids({ to: '2026-11-22T23:59:59.999Z' })).toEqual(['r0', 'r1']);
      // Times with an offset are the same instants in UTC.
      expect(await ids({ from: '2026-11-23T01:00:00.000+01:00', to: '2026-11-23T01:00:00.000+01:00' })).toEqual(['r2']);
      expect(await ids({ from: '2026-11-25T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' })).toEqual([]);
      await log.close();
    });

    it('pages through more records than one page holds, without skipping or repeating, and stops at the limit', async () => {
      const log = await open();
      // One append of 2,300 records, as a list view of as many patients writes them.
      const many = Array.from({ length: 2300 }, (_, i) => event({ patientId: `p${i}`, requestId: 'big', time: at(i) }));
      await log.append(...many);
      const all = await readAll(log.query({ tenantId: 'tenant-a', limit: 1_000_000 }));
      expect(all.map((e) => e.patientId)).toEqual(many.map((e) => e.patientId));
      const some = await readAll(log.query({ tenantId: 'tenant-a', limit: 1500, from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z' }));
      expect(some.map((e) => e.patientId)).toEqual(many.slice(0, 1500).map((e) => e.patientId));
      // A reader that stops early (a client that went away) stops the reading.
      let taken = 0;
      for await (const record of log.query({ tenantId: 'tenant-a', limit: 1_000_000 })) {
        expect(record.patientId).toBe(`p${taken}`);
        if (++taken === 10) break;
      }
      expect(taken).toBe(10);
      await log.close();
    });

    it('continues after the key of any record it gave, each record once, in order, however many share a millisecond', async () => {
      const log = await open();
      const midnight = '2026-11-23T00:00:00.000Z';
      const late = '2026-11-22T23:59:59.999Z';
      // One call's 12 records in one millisecond, another call's at the same time, and some over midnight.
      await log.append(...Array.from({ length: 12 }, (_, i) => event({ time: late, requestId: 'a', patientId: `a${i}` })));
      await log.append(...Array.from({ length: 3 }, (_, i) => event({ time: late, requestId: 'b', patientId: `b${i}` })));
      await log.append(...Array.from({ length: 4 }, (_, i) => event({ time: midnight, requestId: 'c', patientId: `c${i}` })));
      for (const range of [{}, { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z' }, { from: late, to: late }]) {
        const all = await readAll(log.query({ tenantId: 'tenant-a', limit: 100, ...range }));
        const paged: AuditEvent[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 50; pages++) {
          const keys: string[] = [];
          const page = await readAll(log.query({ tenantId: 'tenant-a', limit: 4, ...range, after, onKey: (key) => keys.push(key) }));
          expect(keys).toHaveLength(page.length);
          paged.push(...page);
          if (page.length < 4) break;
          after = keys.at(-1);
        }
        expect(paged.map((e) => e.patientId)).toEqual(all.map((e) => e.patientId));
        expect(all.length).toBe('from' in range && range.to === late ? 15 : 19);
      }
      // A key it never gives is refused as the query is made, before anything is read.
      for (const after of ['garbage', `${late}|12`, `${late}|000000000001|zz`, '2026-02-31T00:00:00.000Z|000000000001'])
        expect(() => log.query({ tenantId: 'tenant-a', limit: 10, after })).toThrow(expect.objectContaining({ code: 'validation_failed' }));
      await log.close();
    });

    it('only adds: the same record appended twice is there twice, and records of one call made at once all stay', async () => {
      const log = await open();
      const same = event({});
      await log.append(same);
      await log.append(same);
      await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(event({ requestId: `parallel-${i}` }))));
      const read = await readAll(log.query({ tenantId: 'tenant-a', limit: 100 }));
      expect(read.filter((e) => e.requestId === 'r1')).toEqual([same, same]);
      expect(read.filter((e) => e.requestId.startsWith('parallel-'))).toHaveLength(20);
      await log.close();
    });
  });
}

export const event = (over: Partial<AuditEvent>): AuditEvent => ({
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

/** A time on 2026-11-23, `i` milliseconds after 08:00. */
const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 8) + i).toISOString();

/** The records of a query (Array.fromAsync needs Node 22). */
export async function readAll<T>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return all;
}
