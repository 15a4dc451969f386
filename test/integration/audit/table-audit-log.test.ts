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
