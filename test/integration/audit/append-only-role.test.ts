import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditStoreError } from '../../../server/storage/audit-store-error';
import { openTableAuditLog } from '../../../server/storage/azure-table/table-audit-log';
import { HeldItemsStoreError, openTableHeldItems } from '../../../server/storage/azure-table/table-held-items';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { event, readAll } from './audit-log-contract';

/**
 * The app's identity in Azure holds, on the audit table, a role that may only read the table and
 * add entities to it (infra/azure.bicep, auditAppendRole): the template creates the table, and
 * Create Table is refused with 403 AuthorizationPermissionMismatch (Table service REST API, "Create
 * Table"; Azure RBAC data actions). Here a proxy in front of azurite refuses Create Table the same
 * way and passes every other request, so the app must open a table it may use without creating it.
 */
let azurite: Azurite;
let guarded: Server;
let guardedEndpoint: string;
let tables = 0;
beforeAll(async () => {
  azurite = await startAzurite();
  const upstream = new URL(azurite.tableEndpoint);
  guarded = createServer((req, res) => {
    if (req.method === 'POST' && /\/Tables(\(|\?|$)/.test(req.url ?? '')) {
      res.writeHead(403, { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-error-code': 'AuthorizationPermissionMismatch' });
      res.end(
        JSON.stringify({
          'odata.error': { code: 'AuthorizationPermissionMismatch', message: { lang: 'en-US', value: 'This request is not authorized.' } },
        }),
      );
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
  guardedEndpoint = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}${upstream.pathname}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => guarded?.close(resolve));
  await azurite?.stop();
});

/** The same account through the proxy: the connection string names the proxy's table endpoint. */
const throughRole = (tableName: string) => ({
  connectionString: azurite.connectionString.replace(/TableEndpoint=[^;]+/, `TableEndpoint=${guardedEndpoint}`),
  tableName,
});
const createdByTemplate = async (tableName: string) =>
  TableClient.fromConnectionString(azurite.connectionString, tableName, { allowInsecureConnection: true }).createTable();

it('opens the audit table the template created, writes and reads records, though it may not create tables', async () => {
  const tableName = `Appended${++tables}`;
  await createdByTemplate(tableName);
  const log = await openTableAuditLog(throughRole(tableName));
  await log.ready!();
  await log.append(event({ patientId: 'patient-1' }), event({ patientId: 'patient-2' }));
  const records = await readAll(log.query({ tenantId: 'tenant-a', limit: 10 }));
  expect(records.map((r) => r.patientId).sort()).toEqual(['patient-1', 'patient-2']);
});

it('still refuses to start when the audit table is missing and it may not create it, naming the service answer', async () => {
  const failed = await openTableAuditLog(throughRole(`Missing${++tables}`)).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(AuditStoreError);
  expect((failed as AuditStoreError).detail).toMatch(/opening the audit table failed \(Azure Table Storage answered 404\b/);
});

it('opens the held-items table the template created the same way', async () => {
  const tableName = `Held${++tables}`;
  await createdByTemplate(tableName);
  const held = await openTableHeldItems({ ...throughRole(tableName), sweepMs: 0 });
  await held.close();
  const missing = await openTableHeldItems({ ...throughRole(`HeldMissing${++tables}`), sweepMs: 0 }).catch((error: unknown) => error);
  expect(missing).toBeInstanceOf(HeldItemsStoreError);
});
