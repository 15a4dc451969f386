import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../helpers/app-process';

/**
 * What an IT admin reads when the server cannot start because of a store: one line naming the
 * settings to check and the service's answer, then exit 1; no stack trace, no words meant for a
 * clinician. The table service here refuses the app's identity, as Azure does while a new role
 * assignment is not yet in effect (403 AuthorizationPermissionMismatch, Table service REST API).
 */
let tables: Server;
let tableUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), 'patients-start-'));
beforeAll(async () => {
  tables = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-error-code': 'AuthorizationPermissionMismatch' });
    res.end(
      JSON.stringify({
        'odata.error': { code: 'AuthorizationPermissionMismatch', message: { lang: 'en-US', value: 'This request is not authorized.' } },
      }),
    );
  });
  await new Promise<void>((resolve) => tables.listen(0, '127.0.0.1', resolve));
  tableUrl = `http://127.0.0.1:${(tables.address() as AddressInfo).port}/devstoreaccount1`;
});
afterAll(async () => {
  await new Promise((resolve) => tables.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits for the app to exit, checks it exited 1, and gives its fatal log lines. */
async function fatalLines(app: AppProcess): Promise<{ level: number; msg: string; detail?: string }[]> {
  const code = await new Promise<number | null>((resolve) => app.child.once('exit', (c) => resolve(c)));
  await app.url.catch(() => undefined);
  expect(code).toBe(1);
  return app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; detail?: string })
    .filter((line) => line.level === 60);
}

it('says in one line which store it could not open and what to check, and exits 1', async () => {
  // Azurite's published development account key (not a secret).
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  const app = startAppProcess({
    PORT: '0',
    DATA_DIR: dataDir,
    SANDBOX_PATIENTS: '1',
    AUDIT_STORE: 'azure-table',
    AUDIT_TABLE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};TableEndpoint=${tableUrl};`,
  });
  const fatal = await fatalLines(app);
  expect(fatal).toHaveLength(1);
  expect(fatal[0].msg).toMatch(/^AuditStoreError: the server cannot start without it\. Check AUDIT_STORE, AUDIT_TABLE_ENDPOINT/);
  expect(fatal[0].detail).toMatch(/403|AuthorizationPermissionMismatch/);
  expect(app.output()).not.toMatch(/A change you made may have been saved|at .*\.ts:\d+/);
  expect(app.output()).not.toContain(key);
}, 60_000);

it('says in one line that its port is taken, and exits 1', async () => {
  const taken = (tables.address() as AddressInfo).port;
  const app = startAppProcess({ PORT: String(taken), HOST: '127.0.0.1', DATA_DIR: dataDir, SANDBOX_PATIENTS: '1' });
  const fatal = await fatalLines(app);
  expect(fatal.map((line) => line.msg)).toEqual([
    `Port ${taken} on 127.0.0.1 is in use by another program: set PORT to a free one, or stop what holds it.`,
  ]);
  expect(app.output()).not.toMatch(/TypeError|at .*\.ts:\d+/);
}, 60_000);

/**
 * An installation missing a package (an interrupted `npm ci`, a partial upload): Node's resolver is
 * made to miss it, as it does when the package's folder is not in node_modules.
 */
function withoutPackage(name: string): string {
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier !== ${JSON.stringify(name)}) return next(specifier, context);
    throw Object.assign(new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
  }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return `--import data:text/javascript,${encodeURIComponent(register)}`;
}

// Telemetry's package too: going on without it would hide the broken installation behind a warning.
const telemetry = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
};
it.each([
  { name: 'express', env: {} },
  { name: 'better-sqlite3', env: {} },
  { name: 'pino', env: {} },
  { name: '@azure/monitor-opentelemetry', env: telemetry },
])(
  'says in one line that package $name is missing and how to install it, and exits 1',
  async ({ name, env }) => {
    const app = startAppProcess({ PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '1', NODE_OPTIONS: withoutPackage(name), ...env });
    const fatal = await fatalLines(app);
    expect(fatal.map((line) => line.msg)).toEqual([
      `the server could not start: its installation is incomplete (package ${name} cannot be found). Install it again: npm ci, or deploy the package again`,
    ]);
    // Nothing else: no stack trace, no path of the machine.
    expect(app.output().trim().split('\n')).toHaveLength(1);
    expect(app.output()).not.toContain(process.cwd());
  },
  60_000,
);
