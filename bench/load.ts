import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DevInfo } from '../test/helpers/test-server.js';

/**
 * `npm run load`: memory after load. The app runs as its own process (dev mode, as `npm start`
 * runs it, with `--expose-gc` and bench/load-probe.ts, which reports its heap over IPC: the app
 * itself gains no endpoint), the EHR is the sandbox in a process of its own. The four dev teams
 * are connected to it (R4, STU3, DSTU2, R4), each with two lists of clinical columns. Then
 * `--users` simulated people (50), on loopback, do what people do for `--duration` seconds (120):
 * open their teams, a team's lists, a list (read to its end line), a patient's details, search by
 * name, put a patient on a list and take them off, write a note and withdraw it, export a list,
 * each followed by a pause of `--think` ms (500–2000, at random). Heap in use is measured after
 * full collections before the load (after one warm-up round in which each simulated person does
 * each thing once, so modules loaded on first use and bounded caches are in place) and after it.
 *
 * Prints requests served, p50/p95 latency (all and per action), errors by action and status,
 * heap before, peak and after. PASS when the heap after is within 20% of before; a FAIL makes
 * the exit status 1. Errors are counted and listed, not judged: on a busy machine the EHR's
 * timeouts (502) say more about the machine than about the app. `npm run bench` does not run it: this is the separate,
 * two-minute check (`npm run load -- --duration 20` for a quick one).
 */
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '120' },
    users: { type: 'string', default: '50' },
    think: { type: 'string', default: '500-2000' },
    json: { type: 'boolean', default: false },
  },
});
const durationS = Number(args.duration);
const userCount = Number(args.users);
const [thinkMin, thinkMax] = args.think.split('-').map(Number);
// Dev tokens live an hour: a run ends well before they do.
if (!(durationS > 0 && durationS <= 1800)) throw new Error('--duration takes seconds, from 1 to 1800.');
if (!(Number.isInteger(userCount) && userCount > 0 && userCount <= 500)) throw new Error('--users takes a whole number from 1 to 500.');
if (!(thinkMin >= 0 && thinkMax >= thinkMin)) throw new Error('--think takes a range of milliseconds, e.g. 200-800.');

/** Heap after load over heap before, at most. */
const MAX_GROWTH = 1.2;
/** Patients per tenant in the EHR. */
const EHR_PATIENTS = 200;
const LIST_PATIENTS = 12;
const LIST_COLUMNS = [
  'name',
  'mrn',
  'birthDate',
  'location',
  'heartRate',
  'bloodPressure',
  'spo2',
  'conditions',
  'allergies',
  'medications',
  'latestNote',
];
const root = fileURLToPath(new URL('..', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

/** A child's first stdout line that matches, or a rejection when it exits first. Keeps draining its output. */
function firstMatch(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let found = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = found ? null : pattern.exec(line);
      if (match) {
        found = true;
        resolve(match);
      }
    });
    child.once('exit', (code, signal) => {
      if (!found) reject(new Error(`${what} exited (${code ?? signal}) before it listened:\n${tail}`));
    });
  });
}

async function startEhr() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/sandbox-process.ts'), String(EHR_PATIENTS)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const [line] = await firstMatch(child, /^\{.*\}$/, 'the sandbox EHR');
  const { origin, clientId, clientSecret } = JSON.parse(line) as { origin: string; clientId: string; clientSecret: string };
  return { child, origin, clientId, clientSecret };
}

interface HeapAnswer {
  id: number;
  heapUsed: number;
  peak: number;
}

async function startApp(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', pathToFileURL(join(root, 'bench/load-probe.ts')).href, join(root, 'server/index.ts')],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  const [, url] = await firstMatch(child, /(http:\/\/localhost:\d+)/, 'the app');
  let nextId = 1;
  const waiting = new Map<number, (answer: HeapAnswer) => void>();
  child.on('message', (answer: HeapAnswer) => waiting.get(answer.id)?.(answer));
  const probe = (kind: 'collect' | 'peak') =>
    new Promise<HeapAnswer>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`the app did not answer the heap probe (${kind})`)), 30_000);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(answer);
      });
      child.send({ probe: kind, id });
    });
  return { child, url, probe };
}

type Action = 'teams' | 'lists' | 'list' | 'details' | 'search' | 'addRemove' | 'note' | 'export';
const weights: [Action, number][] = [
  ['teams', 5],
  ['lists', 10],
  ['list', 25],
  ['details', 20],
  ['search', 15],
  ['addRemove', 10],
  ['note', 10],
  ['export', 5],
];
const totalWeight = weights.reduce((sum, [, w]) => sum + w, 0);
function pickAction(): Action {
  let r = Math.random() * totalWeight;
  for (const [action, w] of weights) if ((r -= w) < 0) return action;
  return 'list';
}

const latencies = new Map<Action, number[]>();
const errors = new Map<string, number>();
/** Each HTTP request's time, while the load is measured (not during setup and warm-up). */
const requestTimes: number[] = [];
let measuring = false;

interface Team {
  id: string;
  lists: string[];
  onLists: string[];
  spare: string[];
  names: string[];
}
interface SimUser {
  userId: string;
  team: Team;
  /** A patient no one else puts on a list, so adding and removing never races another person. */
  ownPatient: string;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-load-'));
  const ehr = await startEhr();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    app = await startApp({
      PORT: '0',
      DATA_DIR: dataDir,
      STATIC_DIR: join(dataDir, 'no-tab'),
      // The dev sandbox inside the app stays minimal and unused: the EHR is the sandbox process.
      SANDBOX_PATIENTS: '1',
      EHR_CLIENT_ID: ehr.clientId,
      EHR_CLIENT_SECRETS: ehr.clientSecret,
      EHR_TOKEN_ENDPOINT: `${ehr.origin}/sandbox/token`,
      EHR_FHIR_ORIGINS: ehr.origin,
      // Fifty people share the dev directory's six identities: the per-person limits would be
      // those of eight or nine people at once.
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_SEARCH_PER_MINUTE: '1000000',
      RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
    });
    const { url, probe } = app;
    const cold = await probe('collect');

    const info = (await (await fetch(`${url}/dev/info`)).json()) as DevInfo;
    const tokens = new Map<string, string>();
    for (const user of info.users) {
      const res = await fetch(`${url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: user.id }),
      });
      tokens.set(user.id, ((await res.json()) as { access_token: string }).access_token);
    }
    // Time to the whole answer, read to its end as the tab reads it.
    const timed = async (answer: Promise<Response>) => {
      const started = performance.now();
      const res = await answer;
      const body = await res.arrayBuffer();
      if (measuring && res.ok) requestTimes.push(performance.now() - started);
      return new Response(res.status === 204 ? null : body, { status: res.status, headers: res.headers });
    };
    const call = async (userId: string, method: string, path: string, body?: unknown, accept?: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(userId)}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (accept) headers.accept = accept;
      return timed(fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    };
    const setupCall = async (userId: string, method: string, path: string, body?: unknown) => {
      const res = await call(userId, method, path, body);
      if (!res.ok) throw new Error(`setup: ${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };

    // Setup: every dev team on the EHR, with two lists of clinical columns.
    const versions = ['r4', 'stu3', 'dstu2', 'r4'];
    const teams: { team: Team; members: string[] }[] = [];
    let teamIndex = 0;
    for (const tenant of info.tenants) {
      for (const devTeam of tenant.teams) {
        const owner = devTeam.owners[0];
        const base = `/api/teams/${devTeam.id}`;
        const version = versions[teamIndex++ % versions.length];
        await setupCall(owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${ehr.origin}/sandbox/${version}`, name: `Load ${version}` });
        const ids: string[] = [];
        const names: string[] = [];
        for (const gender of ['female', 'male']) {
          const page = (await setupCall(owner, 'GET', `${base}/patients?gender=${gender}&count=50`)) as {
            patients: { id: string; displayName: string }[];
          };
          ids.push(...page.patients.map((p) => p.id));
          names.push(...page.patients.map((p) => p.displayName));
        }
        const team: Team = { id: devTeam.id, lists: [], onLists: ids.slice(0, 2 * LIST_PATIENTS), spare: ids.slice(2 * LIST_PATIENTS), names };
        for (let i = 0; i < 2; i++) {
          const list = (await setupCall(owner, 'POST', `${base}/lists`, { name: `Rounds ${i + 1}` })) as { id: string };
          await setupCall(owner, 'PATCH', `${base}/lists/${list.id}`, { columns: LIST_COLUMNS });
          await setupCall(owner, 'POST', `${base}/lists/${list.id}/patients`, {
            patientIds: team.onLists.slice(i * LIST_PATIENTS, (i + 1) * LIST_PATIENTS),
          });
          team.lists.push(list.id);
        }
        teams.push({ team, members: devTeam.members });
      }
    }
    const users: SimUser[] = Array.from({ length: userCount }, (_, i) => {
      const { team, members } = teams[i % teams.length];
      const ownPatient = team.spare[Math.floor(i / teams.length)];
      if (!ownPatient) throw new Error(`too many simulated users for the EHR's ${EHR_PATIENTS} patients per tenant`);
      return { userId: members[Math.floor(i / teams.length) % members.length], team, ownPatient };
    });

    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
    const expectOk = async (res: Response, what: string) => {
      const text = await res.text();
      if (!res.ok) throw new Error(`${what} ${res.status}`);
      return text;
    };
    const run = async (user: SimUser, action: Action, measure: boolean) => {
      const { userId, team } = user;
      const base = `/api/teams/${team.id}`;
      const started = performance.now();
      try {
        switch (action) {
          case 'teams':
            await expectOk(await call(userId, 'GET', '/api/me/teams'), 'GET /api/me/teams');
            break;
          case 'lists':
            await expectOk(await call(userId, 'GET', `${base}/lists`), 'GET lists');
            break;
          case 'list': {
            const text = await expectOk(
              await call(userId, 'GET', `${base}/lists/${pick(team.lists)}`, undefined, 'application/x-ndjson'),
              'GET list',
            );
            const last = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '{}') as { end?: { ehrError?: { code: string } } };
            if (!last.end) throw new Error('GET list cut off');
            if (last.end.ehrError) throw new Error(`GET list ${last.end.ehrError.code}`);
            break;
          }
          case 'details':
            await expectOk(await call(userId, 'GET', `${base}/patients/${pick(team.onLists)}/details`), 'GET details');
            break;
          case 'search': {
            // Two letters from inside a name on the team's lists, as a person types them.
            const name = pick(team.names).replace(/[^a-z]/gi, '');
            const at = Math.floor(Math.random() * Math.max(1, name.length - 2));
            await expectOk(
              await call(userId, 'GET', `${base}/patients?name=${encodeURIComponent(name.slice(at, at + 2) || 'an')}&count=20`),
              'GET search',
            );
            break;
          }
          case 'addRemove': {
            const list = pick(team.lists);
            await expectOk(await call(userId, 'POST', `${base}/lists/${list}/patients`, { patientIds: [user.ownPatient] }), 'POST list patient');
            await expectOk(await call(userId, 'DELETE', `${base}/lists/${list}/patients/${user.ownPatient}`), 'DELETE list patient');
            break;
          }
          case 'note': {
            const patient = pick(team.onLists);
            const text = await expectOk(
              await call(userId, 'POST', `${base}/patients/${patient}/notes`, { text: 'Reviewed on rounds; recheck obs at 18:00.' }),
              'POST note',
            );
            const note = JSON.parse(text) as { id: string; version: number };
            await expectOk(await call(userId, 'GET', `${base}/patients/${patient}/notes`), 'GET notes');
            await expectOk(
              await call(userId, 'POST', `${base}/patients/${patient}/notes/${note.id}/withdraw`, { version: note.version }),
              'POST note withdraw',
            );
            break;
          }
          case 'export': {
            const list = pick(team.lists);
            const text = await expectOk(await call(userId, 'POST', `${base}/lists/${list}/export`, { timeZone: 'Europe/London' }), 'POST export');
            const link = JSON.parse(text) as { url: string };
            await expectOk(await timed(fetch(new URL(link.url, url))), 'GET export download');
            break;
          }
        }
        if (measure) {
          const times = latencies.get(action) ?? [];
          times.push(performance.now() - started);
          latencies.set(action, times);
        }
      } catch (err) {
        const key = `${action}: ${err instanceof Error ? err.message : String(err)}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    };

    // Warm-up: each person does each thing once.
    await Promise.all(
      users.map(async (user) => {
        for (const [action] of weights) await run(user, action, false);
      }),
    );
    const before = await probe('collect');

    measuring = true;
    const deadline = Date.now() + durationS * 1000;
    const sampler = setInterval(() => void probe('peak').catch(() => undefined), 1000);
    await Promise.all(
      users.map(async (user) => {
        // People do not all start at the same moment.
        await sleep(Math.random() * thinkMax);
        while (Date.now() < deadline) {
          await run(user, pickAction(), true);
          await sleep(thinkMin + Math.random() * (thinkMax - thinkMin));
        }
      }),
    );
    clearInterval(sampler);
    measuring = false;
    const { peak } = await probe('peak');
    const after = await probe('collect');

    const all = [...requestTimes].sort((a, b) => a - b);
    const served = all.length;
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    const ratio = after.heapUsed / before.heapUsed;
    const heapPass = ratio <= MAX_GROWTH;
    const result = {
      users: userCount,
      durationS,
      served,
      perSecond: Math.round((served / durationS) * 10) / 10,
      p50Ms: Math.round(percentile(all, 50)),
      p95Ms: Math.round(percentile(all, 95)),
      actions: Object.fromEntries(
        [...latencies].map(([action, times]) => {
          const sorted = [...times].sort((a, b) => a - b);
          return [action, { count: sorted.length, p50Ms: Math.round(percentile(sorted, 50)), p95Ms: Math.round(percentile(sorted, 95)) }];
        }),
      ),
      errors: errorCount,
      errorsByKind: Object.fromEntries(errors),
      heapMb: { cold: mb(cold.heapUsed), before: mb(before.heapUsed), peak: mb(peak), after: mb(after.heapUsed) },
      heapAfterOverBefore: Math.round(ratio * 1000) / 1000,
      heapPass,
    };
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`Load: ${userCount} simulated users for ${durationS} s on loopback (dev mode, sandbox EHR in its own process)`);
      console.log(`requests served  ${served} (${result.perSecond}/s), p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms`);
      console.log("actions (a person's step, some take several requests):");
      for (const [action, s] of Object.entries(result.actions))
        console.log(`  ${action.padEnd(10)} ${String(s.count).padStart(6)}  p50 ${s.p50Ms} ms  p95 ${s.p95Ms} ms`);
      console.log(`errors           ${errorCount}`);
      for (const [kind, n] of errors) console.log(`  ${n} × ${kind}`);
      console.log(
        `heap in use      cold ${result.heapMb.cold} MB, before ${result.heapMb.before} MB, peak ${result.heapMb.peak} MB, after ${result.heapMb.after} MB`,
      );
      console.log(`heap after/before ${result.heapAfterOverBefore} (at most ${MAX_GROWTH})  ${heapPass ? 'PASS' : 'FAIL'}`);
    }
    process.exitCode = heapPass ? 0 : 1;
  } finally {
    const exited = (child: ChildProcess) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    if (app) {
      app.child.kill('SIGTERM');
      await exited(app.child);
    }
    ehr.child.kill();
    await exited(ehr.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
