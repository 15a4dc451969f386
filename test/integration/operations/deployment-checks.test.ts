import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyAnswer } from '../../../contract/teams';
import { AUDIT_PROBE_KEYS } from '../../../server/storage/azure-table/audit-write-probe';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { captureLogs } from '../../helpers/log-capture';
import { startTestServer, type TestServer } from '../../helpers/test-server';

const logs = captureLogs();

/** `GET /api/ready` with no token, as App Service's health check calls it. */
async function ready(url: string) {
  const res = await fetch(`${url}/api/ready`);
  return { status: res.status, body: readyAnswer.parse(await res.json()) };
}
/** Waits out the readiness answer's reuse (2 s), so the next call checks again. */
const afterReuse = () => new Promise((r) => setTimeout(r, 2100));

/**
 * The audit table as the app's identity sees it when its role lacks the add data action
 * (`entities/add/action`): a proxy in front of azurite that passes reads, refuses Create Table (the
 * template creates the tables), and, while `addAllowed` is false, refuses every insert into the
 * audit table with 403 AuthorizationPermissionMismatch, as Azure RBAC does before looking at the
 * entity. Reading the table works throughout: only a write shows the role is wrong.
 */
describe('readiness proves the audit table takes records', () => {
  const auditTable = 'ProbeAudit';
  const heldTable = 'ProbeHeld';
  let azurite: Azurite;
  let proxy: Server;
  let server: TestServer;
  let addAllowed = false;
  const refused = (res: import('node:http').ServerResponse) => {
    res.writeHead(403, { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-error-code': 'AuthorizationPermissionMismatch' });
    res.end(
      JSON.stringify({
        'odata.error': { code: 'AuthorizationPermissionMismatch', message: { lang: 'en-US', value: 'This request is not authorized.' } },
      }),
    );
  };
  const direct = (table: string) => TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });

  beforeAll(async () => {
    azurite = await startAzurite();
    await direct(auditTable).createTable();
    await direct(heldTable).createTable();
    const upstream = new URL(azurite.tableEndpoint);
    proxy = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && /\/Tables(\(|$)/.test(path)) return refused(res);
      if (!addAllowed && req.method === 'POST' && (path.endsWith(`/${auditTable}`) || path.endsWith('/$batch'))) return refused(res);
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
    server = await startTestServer({
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString.replace(/TableEndpoint=[^;]+/, `TableEndpoint=${endpoint}`),
      AUDIT_TABLE_NAME: auditTable,
      HELD_ITEMS_TABLE_NAME: heldTable,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => proxy?.close(resolve));
    await azurite?.stop();
  });

  it('is not ready while the identity may read the audit table but not add to it, and ready once it may', async () => {
    const refusedAnswer = await ready(server.url);
    expect(refusedAnswer).toEqual({ status: 503, body: { status: 'not_ready', checks: { store: 'ok', audit: 'failed', configuration: 'ok' } } });
    expect(logs.join('')).toContain('readiness check failed');

    addAllowed = true;
    await afterReuse();
    expect(await ready(server.url)).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', audit: 'ok', configuration: 'ok' } } });
    await afterReuse();
    expect((await ready(server.url)).status).toBe(200);

    // However often it is checked, the table holds one probe entity, outside every tenant's partitions, and no audit record.
    const entities = [];
    for await (const entity of direct(auditTable).listEntities()) entities.push(entity);
    expect(entities).toEqual([expect.objectContaining(AUDIT_PROBE_KEYS)]);
    expect(entities[0].partitionKey).not.toContain('|');
  });
});

describe('settings that are none', () => {
  it('are named at start with the setting meant, as a warning: the app starts', async () => {
    const server = await startTestServer({ AUDIT_STOR: 'azure-table', EHR_TIMEOUT: '5000' });
    try {
      expect((await ready(server.url)).status).toBe(200);
      const warned = logs.map((line) => JSON.parse(line) as { level: number; msg: string; setting?: string }).filter((line) => line.level === 40);
      expect(warned.map((line) => line.msg)).toEqual([
        'AUDIT_STOR is not a setting; did you mean AUDIT_STORE?',
        'EHR_TIMEOUT is not a setting; did you mean EHR_TIMEOUT_MS?',
      ]);
    } finally {
      await server.stop();
    }
  });
});
