import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch as undiciFetch } from 'undici';
import type { EhrFetch, EhrFetchInit } from '../server/ehr/index.js';
import { mapLimit } from '../server/ehr/map-limit.js';
import { listColumns } from '../contract/columns.js';
import { startServer } from '../server/start.js';

/**
 * The list endpoint against the raw FHIR batches it sends: for lists of 10, 50, 100 and 200
 * patients, with every column, against the sandbox in R4 and STU3. The sandbox runs in a process
 * of its own, as an EHR would. The FHIR calls the backend makes for one list load are recorded,
 * then replayed directly against the sandbox in the same run, with the same parallelism; the
 * ratio is list time over raw time (medians of several runs, list and raw taking turns to go first).
 */
const sizes = [10, 50, 100, 200];
const runs = 41;
const json = process.argv.includes('--json');

interface Recorded {
  url: string;
  init: Omit<EhrFetchInit, 'signal'> & { signal?: undefined };
}
let recording: Recorded[] | null = null;
// The app's EHR requests go through undici's fetch with the link guard's dispatcher; so do the replays.
const recordingFetch: EhrFetch = async (input, init) => {
  const url = String(input);
  // FHIR reads only: token and discovery calls are cached after the warm-up anyway.
  if (recording && !/\/(token|metadata|smart-configuration)$/.test(url)) recording.push({ url, init: { ...init, signal: undefined } });
  return undiciFetch(input, init);
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function replay(calls: Recorded[], parallel: number): Promise<void> {
  // Any client reads the JSON it asked for.
  await mapLimit(calls, parallel, async (call) => (await undiciFetch(call.url, call.init)).json());
}

interface EhrProcess {
  fhir: Record<'r4' | 'stu3', string>;
  origin: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  stop(): void;
}

async function startEhr(): Promise<EhrProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./sandbox-process.ts', import.meta.url).pathname, '200'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await Promise.race([
    (async () => {
      for await (const l of createInterface({ input: child.stdout! })) return [l];
      throw new Error('the sandbox process ended before it listened');
    })(),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)))),
  ]);
  const { origin, clientId, clientSecret } = JSON.parse(line);
  return {
    fhir: { r4: `${origin}/sandbox/r4`, stu3: `${origin}/sandbox/stu3` },
    origin,
    tokenEndpoint: `${origin}/sandbox/token`,
    clientId,
    clientSecret,
    stop: () => child.kill(),
  };
}

async function benchVersion(version: 'r4' | 'stu3', ehr: EhrProcess) {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-bench-'));
  // Dev mode for the dev identity and directory; its own sandbox is kept minimal and unused.
  const server = await startServer(
    // Benchmarks load lists far faster than a person: no rate limits in the way.
    {
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      PORT: '0',
      DATA_DIR: dataDir,
      SANDBOX_PATIENTS: '1',
      STATIC_DIR: join(dataDir, 'none'),
      LOG_LEVEL: 'warn',
      EHR_CLIENT_ID: ehr.clientId,
      EHR_CLIENT_SECRETS: ehr.clientSecret,
      EHR_TOKEN_ENDPOINT: ehr.tokenEndpoint,
      EHR_FHIR_ORIGINS: ehr.origin,
    },
    { ehrFetch: recordingFetch },
  );
  try {
    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const team = info.tenants[0].teams[0];
    const { access_token } = await (
      await fetch(`${server.url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: team.owners[0] }),
      })
    ).json();
    const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/teams/${team.id}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    await api('PUT', '/connection', { mode: 'ehr', url: ehr.fhir[version], name: 'Bench' });
    const ids: string[] = [];
    for (const gender of ['female', 'male']) {
      let page = await api('GET', `/patients?gender=${gender}&count=100`);
      ids.push(...page.patients.map((p: { id: string }) => p.id));
      while (page.next && ids.length < 200) {
        page = await api('GET', `/patients?page=${encodeURIComponent(page.next)}`);
        ids.push(...page.patients.map((p: { id: string }) => p.id));
      }
    }
    const results = [];
    for (const size of sizes) {
      const list = await api('POST', '/lists', { name: `Bench ${size}` });
      await api('PATCH', `/lists/${list.id}`, { columns: [...listColumns] });
      for (let i = 0; i < size; i += 100) await api('POST', `/lists/${list.id}/patients`, { patientIds: ids.slice(i, Math.min(size, i + 100)) });
      // One list load, and the FHIR calls the backend made for it.
      const recordedLoad = async (): Promise<Recorded[]> => {
        const calls: Recorded[] = (recording = []);
        await api('GET', `/lists/${list.id}`);
        recording = null;
        return calls;
      };
      // Warm: discovery and token are cached by then, and the calls of one load are known.
      let calls = await recordedLoad();
      const listTimes: number[] = [];
      const rawTimes: number[] = [];
      const loadList = async () => {
        const started = performance.now();
        calls = await recordedLoad();
        listTimes.push(performance.now() - started);
      };
      const loadRaw = async () => {
        const started = performance.now();
        await replay(calls, 4);
        rawTimes.push(performance.now() - started);
      };
      // Each pair runs close together; which goes first alternates, so neither profits from the other warming the sandbox.
      for (let run = 0; run < runs; run++) {
        for (const load of run % 2 === 0 ? [loadList, loadRaw] : [loadRaw, loadList]) await load();
      }
      const fhirRequests = calls.length;
      const listMs = median(listTimes);
      const rawMs = median(rawTimes);
      results.push({
        version: version.toUpperCase(),
        patients: size,
        fhirRequests,
        listMs: round(listMs),
        rawMs: round(rawMs),
        ratio: round(listMs / rawMs, 3),
      });
    }
    return results;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** CPU time counters of the whole machine (Linux), to tell how much a virtual machine's host took away. */
function cpuTimes(): { steal: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

const cpuBefore = cpuTimes();
const ehr = await startEhr();
let all;
try {
  all = [...(await benchVersion('r4', ehr)), ...(await benchVersion('stu3', ehr))];
} finally {
  ehr.stop();
}
if (json) console.log(JSON.stringify(all));
else {
  console.log('version  patients  FHIR requests  list ms  raw FHIR ms  ratio');
  for (const r of all) {
    console.log(
      `${r.version.padEnd(8)} ${String(r.patients).padStart(8)} ${String(r.fhirRequests).padStart(14)} ${String(r.listMs).padStart(8)} ${String(r.rawMs).padStart(12)} ${String(r.ratio).padStart(6)}`,
    );
  }
  const cpuAfter = cpuTimes();
  if (cpuBefore && cpuAfter && cpuAfter.total > cpuBefore.total) {
    // On a shared virtual machine the host's other guests slow list and raw loads unevenly.
    const stolen = (100 * (cpuAfter.steal - cpuBefore.steal)) / (cpuAfter.total - cpuBefore.total);
    console.log(`CPU time taken by the virtual machine's host during the run (steal): ${stolen.toFixed(1)}%`);
  }
}
