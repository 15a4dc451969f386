import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { catalogs } from '../client/shared/i18n/catalogs.js';
import { startServer } from '../server/start.js';
import { launchBrowser } from '../test/helpers/browser.js';
import type { DevInfo } from '../test/helpers/test-server.js';

/** The tab's budget for the JavaScript it loads before anything shows (issue 14: 200 kB gzip, kB as Vite counts them: 1000 bytes). */
export const INITIAL_JS_BUDGET_BYTES = 200_000;

/**
 * The JavaScript a browser loads before the tab can show anything: the module scripts and module
 * preloads `index.html` names (chunks loaded on demand, like the trend charts, are not), each
 * gzipped as the server sends it. Sizes in bytes, per file and in all.
 */
export function initialJs(distDir: string): { files: { file: string; gzipBytes: number }[]; gzipBytes: number } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const urls = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
  ];
  if (!urls.length) throw new Error('index.html names no module script: is this a build of the tab?');
  const files = [...new Set(urls)].map((url) => {
    const file = join(distDir, url.replace(/^\//, ''));
    // The gzip copy the build wrote (scripts/precompress.ts) is what the server sends; gzipped here when there is none.
    return { file: url, gzipBytes: existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : gzipSync(readFileSync(file)).length };
  });
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

/** The budget for the bytes a first load of the tab takes over the wire (issue 14: 260 kB, as the server compresses them). */
export const FIRST_LOAD_WIRE_BUDGET_BYTES = 260_000;

export interface WireFile {
  path: string;
  encoding: string;
  bytes: number;
}

/**
 * The bytes a first visit of the tab takes over the wire: the built tab in `distDir`, served by the
 * real server (dev mode, sandbox EHR) to Chromium, which signs in as a team owner and opens the
 * team's default list of five patients. Counted: the body bytes of everything that is not an API
 * answer (the page, its scripts, styles, fonts and images, including the chunks fetched on demand
 * while that first view settles), as the server sent them, compressed; headers are not counted.
 */
export async function firstLoadWire(distDir: string): Promise<{ files: WireFile[]; bytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-bench-wire-'));
  const [server, browser] = await Promise.all([
    startServer({ PORT: '0', DATA_DIR: dataDir, STATIC_DIR: distDir, SANDBOX_PATIENTS: '10' }),
    launchBrowser(),
  ]);
  try {
    const info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
    const tenant = info.tenants[0];
    const team = tenant.teams[0];
    const owner = info.users.find((u) => u.id === team.owners[0])!;
    const api = await devApi(server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
    const { patients } = (await api('GET', `/teams/${team.id}/patients?gender=female&count=5`)) as { patients: { id: string }[] };
    const list = (await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' })) as { id: string };
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p) => p.id) });
    await api('PUT', `/teams/${team.id}/me/default-list`, { listId: list.id });

    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    const finished: Promise<WireFile | null>[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (/^\/(api|dev)\//.test(path)) return;
      finished.push(
        (async () => {
          const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
          return { path, encoding: (await response?.headerValue('content-encoding')) ?? 'none', bytes: sizes.responseBodySize };
        })(),
      );
    });
    const m = catalogs.en;
    await page.goto(server.url);
    await page.getByLabel(m['signin.user'], { exact: true }).selectOption({ label: `${owner.name} (${tenant.name})` });
    await page.getByLabel(m['signin.team'], { exact: true }).selectOption({ label: team.name });
    await page.getByRole('button', { name: m['signin.continue'] }).click();
    // The list with its patients, and whatever the first view fetches after it (its dialogs, tooltips).
    await page.getByRole('table', { name: 'Ward round' }).getByRole('row').nth(patients.length).waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const files = (await Promise.all(finished)).filter((f): f is WireFile => f !== null);
    await context.close();
    return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The API as a dev user (a token from the dev identity provider); every call must succeed. */
async function devApi(serverUrl: string, userId: string) {
  const token = (await (
    await fetch(`${serverUrl}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
  ).json()) as { access_token: string };
  return async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${serverUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token.access_token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
}
