import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_LISTS_PER_TEAM } from '../../../contract/lists';
import { startAppProcess } from '../../helpers/app-process';
import { cast, startTestSso, type DevInfo, type TestSso } from '../../helpers/test-server';

// The real server as its own process, killed with SIGKILL in the middle of a storm of writes.
const dataDir = mkdtempSync(join(tmpdir(), 'patients-crash-'));
const children: ChildProcess[] = [];
let sso: TestSso;
beforeAll(async () => {
  sso = await startTestSso();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await sso?.close();
});

/** The server as its own process; what it prints is shown only if the test fails. */
async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const app = startAppProcess({ ...sso.env, PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '5', STATIC_DIR: join(dataDir, 'no-tab') });
  children.push(app.child);
  return { child: app.child, url: await app.url };
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((resolve) => c.once('exit', resolve));

async function session(url: string) {
  const info = (await (await fetch(`${url}/dev/info`)).json()) as DevInfo;
  const who = cast(info);
  const token = await sso.tokenFor(url, who.owner);
  return { base: `${url}/api/teams/${who.team.id}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

/** Acknowledged creations before the kill: as many as one team may keep, less what the writers have in flight. */
const WRITES = MAX_LISTS_PER_TEAM - 10;

it('keeps every acknowledged write and a sound database after a SIGKILL during writes', async () => {
  const { child, url } = await startChild();
  const { base, headers } = await session(url);
  const acknowledged: string[] = [];
  let stop = false;
  const writer = async (w: number) => {
    for (let i = 0; !stop && i < 2000; i++) {
      const name = `list ${w}-${i}`;
      try {
        const res = await fetch(`${base}/lists`, { method: 'POST', headers, body: JSON.stringify({ name }) });
        if (res.status === 201) acknowledged.push(name);
      } catch {
        return; // the server is gone
      }
    }
  };
  const writers = [1, 2, 3, 4].map(writer);
  while (acknowledged.length < WRITES) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  await exited(child);

  const db = new Database(join(dataDir, 'patients.sqlite'));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  // Every change that committed, acknowledged or not, committed with its audit record.
  const created = (db.prepare('SELECT id FROM lists').all() as { id: string }[]).map((r) => r.id);
  const audited = new Set(
    (db.prepare("SELECT list_id FROM audit_events WHERE operation = 'PatientListCreate' AND outcome = 'success'").all() as { list_id: string }[]).map(
      (r) => r.list_id,
    ),
  );
  expect(created.length).toBeGreaterThanOrEqual(WRITES);
  expect(created.filter((id) => !audited.has(id))).toEqual([]);
  db.close();

  const restarted = await startChild();
  const again = await session(restarted.url);
  const names = new Set(((await (await fetch(`${again.base}/lists`, { headers: again.headers })).json()) as { name: string }[]).map((l) => l.name));
  const lost = acknowledged.filter((name) => !names.has(name));
  expect(acknowledged.length).toBeGreaterThanOrEqual(WRITES);
  expect(lost).toEqual([]);
  restarted.child.kill('SIGTERM');
});
