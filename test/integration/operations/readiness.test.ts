import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyAnswer } from '../../../contract/teams';
import { devDirectory } from '../../../server/identity/dev-directory';
import { captureLogs } from '../../helpers/log-capture';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';
import { startTestServer, type TestServer } from '../../helpers/test-server';

const logs = captureLogs();

/** `GET /api/ready` with no token, as App Service's health check calls it. */
async function ready(url: string) {
  const res = await fetch(`${url}/api/ready`);
  const text = await res.text();
  return { status: res.status, text, body: readyAnswer.parse(JSON.parse(text)) };
}

/** Waits out the readiness answer's reuse (2 s), so the next call checks again. */
const afterReuse = () => new Promise((r) => setTimeout(r, 2100));

describe('readiness of the app with its SQLite file', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is ready with no token when the store and the audit trail can be written and the settings are complete', async () => {
    const res = await server.api(null, 'GET', '/api/ready');
    expect(res).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', audit: 'ok', configuration: 'ok' } } });
    // Liveness is unchanged.
    expect((await server.api(null, 'GET', '/api/health')).body).toEqual({ status: 'ok' });
  });

  it('is not ready while another process holds the database for writing, and ready again once it lets go', async () => {
    await afterReuse();
    const other = new Database(join(server.dataDir, 'patients.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await ready(server.url);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not_ready', checks: { store: 'failed', audit: 'failed', configuration: 'ok' } });
      expect(res.text).not.toContain(server.dataDir);
      expect(logs.join('')).toContain('readiness check failed');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await afterReuse();
    expect((await ready(server.url)).status).toBe(200);
  });
});

describe('readiness with a setting that is an unresolved Key Vault reference', () => {
  // A setting the app does not read itself (start refuses its own), but the Azure SDK's managed identity credential does.
  const reference = '@Microsoft.KeyVault(SecretUri=https://contoso-vault.vault.azure.net/secrets/identity-client-id)';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AZURE_CLIENT_ID: reference });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is not ready, names the setting in the log only, and never shows the reference', async () => {
    const res = await ready(server.url);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready', checks: { store: 'ok', audit: 'ok', configuration: 'failed' } });
    expect(res.text).not.toContain('vault');
    const logged = logs.join('');
    expect(logged).toContain('AZURE_CLIENT_ID');
    expect(logged).not.toContain('contoso-vault');
  });
});

describe('readiness in production, with the team data in Graph', () => {
  let harness: ProductionHarness;
  beforeAll(async () => {
    harness = await startProductionHarness(devDirectory);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('starts without a warning, its audit trail in the shared table (production never keeps it in SQLite)', async () => {
    const another = await startProductionHarness(devDirectory);
    await another.stop();
    const warned = logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
    expect(warned).toEqual([]);
  });

  it('is ready while Graph answers, and not ready once Graph cannot be reached', async () => {
    expect((await ready(harness.server.url)).body.status).toBe('ready');
    await harness.graph.close();
    await afterReuse();
    const res = await ready(harness.server.url);
    expect(res.status).toBe(503);
    expect(res.body.checks).toMatchObject({ store: 'failed', configuration: 'ok' });
    expect(res.text).not.toContain(harness.graph.url);
  });
});
