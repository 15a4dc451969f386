import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { migrations } from '../../../server/storage/sqlite/sqlite-migrations';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { startAppProcess, type AppProcess } from '../../helpers/app-process';
import { productionSettings } from '../../helpers/production-settings';
import { testTab } from '../../helpers/test-tab';

/**
 * What an IT admin deploying the app meets at start: a tab that is not where STATIC_DIR says
 * (production does not start; dev mode says so and serves the API), a database of a newer release
 * after a rollback (no start), and a start from another directory (the install's own tab).
 */
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'patients-deploy-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface LogLine {
  level: number;
  msg: string;
}

const linesOf = (app: AppProcess): LogLine[] =>
  app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/** Waits for the app to exit, checks it exited 1, and gives its fatal log lines. */
async function fatalLines(app: AppProcess): Promise<LogLine[]> {
  const code = await new Promise<number | null>((resolve) => app.child.once('exit', (c) => resolve(c)));
  await app.url.catch(() => undefined);
  expect(code).toBe(1);
  expect(app.output()).not.toMatch(/at .*\.ts:\d+/);
  return linesOf(app).filter((line) => line.level === 60);
}

async function stop(app: AppProcess) {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  await exited;
}

it('production: a STATIC_DIR without the built tab stops the start with one line naming STATIC_DIR', async () => {
  const staticDir = join(work, 'nothing-here');
  const app = startAppProcess({ ...productionSettings, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(work, 'prod-data'), STATIC_DIR: staticDir });
  const fatal = await fatalLines(app);
  expect(fatal.map((line) => line.msg)).toEqual([
    `STATIC_DIR (${staticDir}) has no index.html, so the tab would not be served: set STATIC_DIR to the built tab (dist/client of the release), or build it with \`npm run build\`.`,
  ]);
  // Stopped before anything else: no data folder made.
  expect(existsSync(join(work, 'prod-data'))).toBe(false);
}, 120_000);

it('dev mode: a tab that is not built is said in one warning line, and the API is served', async () => {
  const staticDir = join(work, 'no-tab');
  const app = startAppProcess({ PORT: '0', DATA_DIR: join(work, 'dev-data'), SANDBOX_PATIENTS: '1', STATIC_DIR: staticDir });
  try {
    const url = await app.url;
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await fetch(`${url}/`)).status).toBe(404);
    const notBuilt = linesOf(app).filter((line) => line.level === 40 && line.msg.includes('the tab is not built'));
    expect(notBuilt.map((line) => line.msg)).toEqual([
      `the tab is not built (STATIC_DIR ${staticDir} has no index.html): serving the API only; \`npm run build\` builds the tab`,
    ]);
  } finally {
    await stop(app);
  }
}, 120_000);

it('a patients.sqlite of a newer release (rollback) stops the start with one line naming the file and both versions', async () => {
  const dataDir = join(work, 'rolled-back');
  const file = join(dataDir, 'patients.sqlite');
  await openSqliteStore(file).close();
  const newer = new Database(file);
  newer.pragma(`user_version = ${migrations.length + 2}`);
  newer.close();
  const app = startAppProcess({ PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '1', STATIC_DIR: testTab(work) });
  const fatal = await fatalLines(app);
  expect(fatal).toHaveLength(1);
  expect(fatal[0].msg).toMatch(
    new RegExp(
      `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has schema version ${migrations.length + 2}, newer than this release knows \\(${migrations.length}\\)`,
    ),
  );
}, 120_000);

it('started from another directory, it serves the tab of its install, not one under the current directory', async () => {
  const elsewhere = mkdtempSync(join(work, 'cwd-'));
  // STATIC_DIR left unset (DATA_DIR is given: the install's own data folder is the developer's).
  const child = spawn(process.execPath, ['--import', join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(repo, 'server', 'index.ts')], {
    cwd: elsewhere,
    env: { ...process.env, PORT: '0', DATA_DIR: join(work, 'elsewhere-data'), SANDBOX_PATIENTS: '1', LOG_LEVEL: 'info', STATIC_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const found = /(http:\/\/localhost:\d+)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`the app exited early with ${code}: ${output}`)));
    });
    const tab = join(repo, 'dist', 'client');
    if (existsSync(join(tab, 'index.html'))) expect((await fetch(`${url}/`)).status).toBe(200);
    // Not built here: the warning names the install's dist/client, not one under the current directory.
    else expect(output).toContain(`STATIC_DIR ${tab} has no index.html`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}, 120_000);
