import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startAppProcess } from '../../helpers/app-process';

// The real server as its own process, made to drop an error on the floor (on SIGUSR2, once it serves)
// whose message holds patient data: what the operator's log shows, and whether the server goes on.
const dir = mkdtempSync(join(tmpdir(), 'patients-unhandled-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const PATIENT_DATA = 'Jane Doe MRN 4242 note: HIV positive';
const stray = join(dir, 'stray-error.mjs');
writeFileSync(
  stray,
  `process.on('SIGUSR2', () => {
    const error = Object.assign(new Error(${JSON.stringify(PATIENT_DATA)}), { code: 'E_STRAY' });
    if (process.env.STRAY === 'rejection') Promise.reject(error);
    else setTimeout(() => { throw error; });
  });\n`,
);

async function startWithStray(kind: 'rejection' | 'exception') {
  const app = startAppProcess({
    PORT: '0',
    DATA_DIR: join(dir, kind),
    SANDBOX_PATIENTS: '1',
    STATIC_DIR: join(dir, 'no-tab'),
    STRAY: kind,
    NODE_OPTIONS: `--import=${stray}`,
  });
  children.push(app.child);
  return { ...app, url: await app.url };
}

const exitOf = (c: ChildProcess) =>
  c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));

it('logs an unhandled rejection by name and code only, and goes on serving', async () => {
  const app = await startWithStray('rejection');
  app.child.kill('SIGUSR2');
  await expect.poll(() => app.output(), { timeout: 5_000 }).toContain('E_STRAY');
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  expect(app.child.exitCode).toBeNull();
  const line = app
    .output()
    .split('\n')
    .find((l) => l.includes('E_STRAY'))!;
  expect(JSON.parse(line)).toMatchObject({ level: 50, err: { name: 'Error', code: 'E_STRAY' } });
  expect(app.output()).not.toContain('Jane Doe');
  expect(app.output()).not.toContain('4242');
});

it('logs an uncaught exception by name and code only, and exits 1', async () => {
  const app = await startWithStray('exception');
  app.child.kill('SIGUSR2');
  expect(await exitOf(app.child)).toBe(1);
  const line = app
    .output()
    .split('\n')
    .find((l) => l.includes('E_STRAY'))!;
  expect(JSON.parse(line)).toMatchObject({ level: 60, err: { name: 'Error', code: 'E_STRAY' } });
  expect(app.output()).not.toContain('Jane Doe');
  expect(app.output()).not.toContain('4242');
});
