import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/start';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { captureLogs } from '../../helpers/log-capture';
import { productionSettings } from '../../helpers/production-settings';
import { testTab } from '../../helpers/test-tab';

/**
 * Production mode believes X-Forwarded-For only where a proxy is known to be in front: on Azure
 * App Service (WEBSITE_SITE_NAME or WEBSITE_INSTANCE_ID set), or as TRUST_PROXY_HOPS says.
 * Anywhere else a client that writes its own X-Forwarded-For must not pick the address its
 * failed sign-ins are counted under (nor the one its audit records carry).
 */
const logs = captureLogs();
const work = mkdtempSync(join(tmpdir(), 'patients-trust-proxy-'));
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
  rmSync(work, { recursive: true, force: true });
});

const { AUDIT_TABLE_ENDPOINT: _endpoint, ...withoutEndpoint } = productionSettings;
let runs = 0;

async function production(env: Record<string, string>): Promise<RunningServer> {
  const dir = join(work, String(++runs));
  return startServer({
    ...withoutEndpoint,
    AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
    AUDIT_TABLE_NAME: `Audit${runs}`,
    HELD_ITEMS_TABLE_NAME: `Held${runs}`,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    STATIC_DIR: testTab(dir),
    RATE_LIMIT_FAILED_AUTH: '3',
    ...env,
  });
}

/** Five failed sign-ins, each claiming another client address in X-Forwarded-For: their statuses. */
async function spoofedFailures(server: RunningServer): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const res = await fetch(`${server.url}/api/me/teams`, {
      headers: { authorization: 'Bearer not-a-token', 'x-forwarded-for': `203.0.113.${i}` },
    });
    await res.body?.cancel();
    statuses.push(res.status);
    // The failure is counted as the answer goes out: let it land before the next call.
    await new Promise((r) => setTimeout(r, 20));
  }
  return statuses;
}

/** The start's line on the hops it trusts (the latest start's). */
const trustLine = () =>
  logs
    .map((l) => JSON.parse(l) as { msg: string; trustProxyHops?: number; because?: string })
    .filter((l) => l.trustProxyHops !== undefined)
    .at(-1);

it('off App Service and without TRUST_PROXY_HOPS, trusts no proxy: a forged X-Forwarded-For does not escape the failed sign-in limit', async () => {
  const server = await production({});
  try {
    expect(await spoofedFailures(server)).toEqual([401, 401, 401, 429, 429]);
    expect(server.app.get('trust proxy')).toBe(false);
    expect(trustLine()).toMatchObject({ trustProxyHops: 0, because: 'no-known-proxy' });
    expect(trustLine()!.msg).toMatch(/not on Azure App Service.*set TRUST_PROXY_HOPS/);
  } finally {
    await server.close();
  }
}, 60_000);

it.each(['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID'])(
  'on App Service (%s set), trusts its front end: one hop',
  async (variable) => {
    const server = await production({ [variable]: 'patients-web' });
    try {
      // Each address the front end reports is its own client.
      expect(await spoofedFailures(server)).toEqual([401, 401, 401, 401, 401]);
      expect(trustLine()).toMatchObject({ trustProxyHops: 1, because: 'app-service' });
      expect(trustLine()!.msg).toContain(`${variable} is set`);
    } finally {
      await server.close();
    }
  },
  60_000,
);

it('an explicit TRUST_PROXY_HOPS wins, 0 on App Service included', async () => {
  const server = await production({ WEBSITE_SITE_NAME: 'patients-web', TRUST_PROXY_HOPS: '0' });
  try {
    expect(await spoofedFailures(server)).toEqual([401, 401, 401, 429, 429]);
    expect(trustLine()).toMatchObject({ trustProxyHops: 0, because: 'setting' });
  } finally {
    await server.close();
  }
  const behindTwo = await production({ TRUST_PROXY_HOPS: '2' });
  try {
    expect(behindTwo.app.get('trust proxy')).toBe(2);
    expect(trustLine()).toMatchObject({ trustProxyHops: 2, because: 'setting' });
  } finally {
    await behindTwo.close();
  }
}, 60_000);
