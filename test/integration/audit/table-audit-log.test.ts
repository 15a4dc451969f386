import { RestError, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditStoreError } from '../../../server/storage/audit-store-error';
import { auditTableClient, openTableAuditLog, tableAuditLog } from '../../../server/storage/azure-table/table-audit-log';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { auditLogContract, event, readAll } from './audit-log-contract';

let azurite: Azurite;
let tables = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite?.stop());

const settings = () => ({ connectionString: azurite.connectionString, tableName: `Audit${++tables}` });

auditLogContract('Azure Table Storage (azurite)', () => openTableAuditLog(settings()));

it('Azure Table Storage: the app only creates entities, never updates, upserts or deletes them', async () => {
  const { tableName } = settings();
  const client = auditTableClient({ connectionString: azurite.connectionString, tableName });
  await client.createTable();
  // Every call the log makes on the table client, and each action of its transactions.
  const calls: string[] = [];
  const recording = new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        if (key === 'submitTransaction') for (const [action] of args[0] as [string][]) calls.push(`  ${action}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const log = tableAuditLog(recording);
  await log.append(event({}));
  await log.append(...Array.from({ length: 150 }, (_, i) => event({ patientId: `p${i}` })));
  await readAll(log.query({ tenantId: 'tenant-a', limit: 1000 }));
  const used = new Set(calls);
  expect([...used].sort()).toEqual(['  create', 'createEntity', 'listEntities', 'submitTransaction']);
  expect(calls.filter((c) => c === '  create')).toHaveLength(150);
  // The records are there, not overwritten by one another.
  expect(await readAll(log.query({ tenantId: 'tenant-a', limit: 1000 }))).toHaveLength(151);
});

it('Azure Table Storage: a record that cannot be written fails the append with words that hold no record', async () => {
  // Nothing listens there any more; no retries, so the test does not wait out the SDK's back-off.
  const gone = await startAzurite();
  await gone.stop();
  const client = TableClient.fromConnectionString(gone.connectionString, 'Gone', { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
  const log = tableAuditLog(client);
  const failed = await log.append(event({ patientId: 'patient-4711', userId: 'user-secret' })).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(AuditStoreError);
  const { message, detail } = failed as AuditStoreError;
  expect(message).toMatch(/audit trail could not be written/);
  expect(`${message} ${detail}`).not.toMatch(/patient-4711|user-secret/);
  await expect(readAll(log.query({ tenantId: 'tenant-a', limit: 10 }))).rejects.toBeInstanceOf(AuditStoreError);
  // GET /api/ready says so before any call fails.
  await expect(log.ready!()).rejects.toBeInstanceOf(AuditStoreError);
});

it('Azure Table Storage: keys sort by time and keep a day of a tenant in one partition', async () => {
  const { tableName } = settings();
  const log = await openTableAuditLog({ connectionString: azurite.connectionString, tableName });
  await log.append(event({ tenantId: 'a/b', time: '2026-11-23T23:59:59.999Z' }), event({ tenantId: 'a/b', time: '2026-11-24T00:00:00.000Z' }));
  const client = auditTableClient({ connectionString: azurite.connectionString, tableName });
  const keys: [string, string][] = [];
  for await (const e of client.listEntities()) keys.push([e.partitionKey!, e.rowKey!]);
  expect(keys.map(([pk]) => pk)).toEqual(['a%2Fb|2026-11-23', 'a%2Fb|2026-11-24']);
  expect(keys.map(([, rk]) => rk.slice(0, 25))).toEqual(['2026-11-23T23:59:59.999Z|', '2026-11-24T00:00:00.000Z|']);
  // An entity the app would write again with a key it used is refused by the service, not overwritten.
  const [pk, rk] = keys[0];
  const again = await client.createEntity({ partitionKey: pk, rowKey: rk, operation: 'PatientView' }).catch((error: unknown) => error);
  expect((again as RestError).statusCode).toBe(409);
});

/** The log over a client whose calls `around` may wrap: the real call is `call()`. */
async function logOver(around: (key: 'createEntity' | 'submitTransaction', args: unknown[], call: () => Promise<unknown>) => Promise<unknown>) {
  const { tableName } = settings();
  const client = auditTableClient({ connectionString: azurite.connectionString, tableName });
  await client.createTable();
  const wrapped = new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== 'createEntity' && key !== 'submitTransaction') return value.bind(target);
      return (...args: unknown[]) => around(key, args, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
  return { client, log: tableAuditLog(wrapped) };
}

const alreadyExists = () => new RestError('The specified entity already exists.', { code: 'EntityAlreadyExists', statusCode: 409 });
/** The entities a call of the log would create. */
const entitiesOf = (key: string, args: unknown[]) =>
  (key === 'createEntity' ? [args[0]] : (args[0] as [string, unknown][]).map(([, e]) => e)) as { partitionKey: string; rowKey: string }[];

it('Azure Table Storage: "already exists" is taken as committed only when the stored entities are this append\'s own', async () => {
  // A retry that meets its own committed write: the service says 409, the stored entity is the same.
  const retried = await logOver(async (_key, _args, call) => {
    await call();
    throw alreadyExists();
  });
  await retried.log.append(event({ requestId: 'retried' }));
  expect((await readAll(retried.log.query({ tenantId: 'tenant-a', limit: 10 }))).map((e) => e.requestId)).toEqual(['retried']);

  // Another entity holds the keys (of one create, and of one in a transaction): the append fails, nothing is overwritten.
  for (const count of [1, 3]) {
    const taken = await logOver(async (key, args, call) => {
      const [first] = entitiesOf(key, args);
      await taken.client.createEntity({
        partitionKey: first.partitionKey,
        rowKey: first.rowKey,
        operation: 'PatientView',
        requestId: 'someone-else',
      });
      return call();
    });
    const records = Array.from({ length: count }, (_, i) => event({ requestId: `mine-${i}` }));
    await expect(taken.log.append(...records)).rejects.toBeInstanceOf(AuditStoreError);
    const stored = await readAll(taken.log.query({ tenantId: 'tenant-a', limit: 10 }));
    expect(stored.map((e) => e.requestId)).toEqual(['someone-else']);
  }
});

it('Azure Table Storage: one call of up to 100 records is one transaction; more are written one transaction after the other, and a failed one stops the rest', async () => {
  const calls: number[] = [];
  const whole = await logOver(async (key, args, call) => {
    calls.push(entitiesOf(key, args).length);
    return call();
  });
  await whole.log.append(
    ...Array.from({ length: 100 }, (_, i) => event({ patientId: `p${i}`, time: `2026-11-23T08:00:00.${String(i).padStart(3, '0')}Z` })),
  );
  expect(calls).toEqual([100]);

  let sent = 0;
  let inFlight = 0;
  let most = 0;
  const failing = await logOver(async (_key, _args, call) => {
    sent++;
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (sent === 2) throw new RestError('The server encountered an internal error.', { statusCode: 500 });
      return await call();
    } finally {
      inFlight--;
    }
  });
  const failed = await failing.log.append(...Array.from({ length: 250 }, (_, i) => event({ patientId: `p${i}` }))).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(AuditStoreError);
  expect((failed as AuditStoreError).detail).toMatch(/transaction 2 of 3; 100 of 250 records written before it/);
  // One at a time; the one after the failed transaction was never sent; the first stays (append-only).
  expect(most).toBe(1);
  expect(sent).toBe(2);
  expect(await readAll(failing.log.query({ tenantId: 'tenant-a', limit: 1000 }))).toHaveLength(100);
});
