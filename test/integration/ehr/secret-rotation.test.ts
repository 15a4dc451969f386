import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { credentialsOf } from '../../../server/sandbox/clients';
import { createSandbox } from '../../../server/sandbox/index';
import { startServer, type RunningServer } from '../../../server/start';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../helpers/key-vault-standin';
import { suiteRateLimits } from '../../helpers/test-server';

/**
 * An EHR client secret is rotated while 20 clients keep loading a list: a new secret is added at
 * the partner, stored as a new version of the Key Vault secret, the app switches to it, and the
 * old one is deleted at the partner. The app reads the secret's versions from Key Vault itself (no
 * restart); the partner (the sandbox, in its own server) issues one-second tokens, so the app asks
 * for new ones throughout. Not one list answer may fail.
 */

const CLIENTS = 20;
/** Hard bound on each scenario's load, whatever happens. */
const LOAD_LIMIT_MS = 30_000;

interface TokenRequest {
  secret: string;
  status: number;
  at: number;
}

let vault: KeyVaultStandIn;
let partner: { origin: string; tokenRequests: TokenRequest[]; close(): Promise<void> };
const savedEnv = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  vault = await startKeyVaultStandIn();
  // The app's managed identity: @azure/identity reads App Service's settings from the environment.
  Object.assign(process.env, vault.identityEnv);
  const sandbox = await createSandbox({
    tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })),
    patientsPerTenant: 20,
    tokenLifetimeSeconds: 1,
  });
  const tokenRequests: TokenRequest[] = [];
  const app = express();
  // Which secret each token request used, and whether the partner took it.
  app.use('/sandbox/token', express.urlencoded({ extended: false }), (req, res, next) => {
    const creds = credentialsOf(req.get('authorization'), (req.body ?? {}) as Record<string, unknown>);
    res.on('finish', () => tokenRequests.push({ secret: creds?.secret ?? '', status: res.statusCode, at: Date.now() }));
    next();
  });
  app.use('/sandbox', sandbox.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  partner = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});

afterAll(async () => {
  await partner?.close();
  await vault?.stop();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function partnerCall(method: string, path: string, authorization?: string) {
  const res = await fetch(`${partner.origin}/sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: method === 'POST' ? JSON.stringify({ name: 'Patients (rotation test)' }) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, string>) };
}

async function startApp(secretName: string, firstSecret: string, clientId: string, refreshSeconds: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-rotation-'));
  const app = await startServer(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      STATIC_DIR: join(dataDir, 'no-tab'),
      SANDBOX_PATIENTS: '5',
      ...suiteRateLimits,
      EHR_CLIENT_ID: clientId,
      // What App Service's Key Vault reference resolved at start: the version current then.
      EHR_CLIENT_SECRETS: firstSecret,
      EHR_TOKEN_ENDPOINT: `${partner.origin}/sandbox/token`,
      EHR_FHIR_ORIGINS: partner.origin,
      KEY_VAULT_URL: vault.url,
      EHR_CLIENT_SECRET_NAME: secretName,
      KEY_VAULT_REFRESH_SECONDS: String(refreshSeconds),
    },
    { keyVault: { clientOptions: vault.clientOptions } },
  );
  return { app, stop: async () => (await app.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

/** A list of five patients of the partner, loaded by the team's members. */
async function prepareList(app: RunningServer) {
  const team = devDirectory.tenants[0].teams[0];
  const tokens = new Map<string, string>();
  for (const userId of new Set([...team.owners, ...team.members])) {
    const res = await fetch(`${app.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    tokens.set(userId, ((await res.json()) as { access_token: string }).access_token);
  }
  const call = async (userId: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.url}/api/teams/${team.id}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(userId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const owner = team.owners[0];
  const connected = await call(owner, 'PUT', '/connection', { mode: 'ehr', url: `${partner.origin}/sandbox/r4`, name: 'Partner R4' });
  expect(connected.status).toBe(200);
  const found = await call(owner, 'GET', '/patients?gender=female&count=5');
  const patientIds = (found.body.patients as { id: string }[]).map((p) => p.id);
  expect(patientIds).toHaveLength(5);
  const list = await call(owner, 'POST', '/lists', { name: 'Rounds' });
  expect((await call(owner, 'POST', `/lists/${String(list.body.id)}/patients`, { patientIds })).status).toBe(200);
  return { users: [...tokens.keys()], load: (userId: string) => call(userId, 'GET', `/lists/${String(list.body.id)}`) };
}

/** 20 clients loading the list until `stop` is called; each answer's status and whether every row came from the EHR. */
function keepLoading(list: Awaited<ReturnType<typeof prepareList>>) {
  const answers: { status: number; rowsFromEhr: boolean }[] = [];
  let running = true;
  const until = Date.now() + LOAD_LIMIT_MS;
  const clients = Array.from({ length: CLIENTS }, async (_, i) => {
    while (running && Date.now() < until) {
      const { status, body } = await list.load(list.users[i % list.users.length]);
      const rows = (body.rows ?? []) as { available?: boolean; displayName?: string }[];
      answers.push({ status, rowsFromEhr: rows.length === 5 && rows.every((r) => r.available === true && Boolean(r.displayName)) });
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return answers;
    },
  };
}

async function waitFor(what: string, condition: () => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('EHR client secret rotation through Key Vault, without a restart', () => {
  it.each([
    { refreshSeconds: 1, how: 'the app picks up the new version on its refresh interval and switches before the old secret is deleted' },
    { refreshSeconds: 3600, how: 'the app reads the vault at once when the partner refuses the old secret' },
  ])(
    'fails no list answer while 20 clients load: $how',
    async ({ refreshSeconds }) => {
      const secretName = `ehr-client-secret-${refreshSeconds}`;
      const registered = await partnerCall('POST', '/clients');
      const { client_id: clientId, client_secret: oldSecret, secret_id: oldSecretId } = registered.body!;
      const oldVersion = vault.setSecret(secretName, oldSecret);
      const { app, stop } = await startApp(secretName, oldSecret, clientId, refreshSeconds);
      try {
        const list = await prepareList(app);
        const vaultReadsAtStart = vault.calls.list;
        const load = keepLoading(list);
        await sleep(1500);

        // 1. A new secret at the partner (authenticated with the current one).
        const added = await partnerCall('POST', `/clients/${clientId}/secrets`, basic(clientId, oldSecret));
        expect(added.status).toBe(201);
        const { client_secret: newSecret, secret_id: newSecretId } = added.body!;
        await sleep(1200);

        // 2. The new secret as the Key Vault secret's new version.
        const addedToVaultAt = Date.now();
        vault.setSecret(secretName, newSecret);

        // 3. Switch: with a short refresh interval the app uses the new secret before the old one goes.
        if (refreshSeconds === 1) {
          await waitFor('a token request with the new secret', () =>
            partner.tokenRequests.some((r) => r.secret === newSecret && r.status === 200 && r.at > addedToVaultAt),
          );
        }

        // 4. The old secret deleted at the partner, and its version disabled in the vault.
        const deleted = await partnerCall('DELETE', `/clients/${clientId}/secrets/${oldSecretId}`, basic(clientId, newSecret));
        expect(deleted.status).toBe(204);
        const deletedAt = Date.now();
        vault.disableVersion(secretName, oldVersion);
        // Tokens last a second: the app must get several more, with the new secret only.
        await sleep(2500);
        const answers = await load.stop();

        expect(answers.length).toBeGreaterThan(CLIENTS * 3);
        expect(answers.filter((a) => a.status !== 200 || !a.rowsFromEhr)).toEqual([]);
        const tokensAfterDelete = partner.tokenRequests.filter((r) => r.at > deletedAt + 100);
        expect(tokensAfterDelete.filter((r) => r.status === 200 && r.secret === newSecret).length).toBeGreaterThan(1);
        expect(tokensAfterDelete.filter((r) => r.status === 200 && r.secret === oldSecret)).toEqual([]);
        expect(vault.calls.list).toBeGreaterThan(vaultReadsAtStart);
        if (refreshSeconds === 3600) {
          // The old secret was refused once, and the app recovered by reading the vault.
          expect(partner.tokenRequests.some((r) => r.secret === oldSecret && r.status === 401 && r.at >= deletedAt - 50)).toBe(true);
        }
        // The partner still has the new secret only.
        expect((await partnerCall('DELETE', `/clients/${clientId}/secrets/${oldSecretId}`, basic(clientId, newSecret))).status).toBe(404);
        expect(newSecretId).not.toBe(oldSecretId);
      } finally {
        await stop();
      }
    },
    60_000,
  );
});
