import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { build } from 'vite';
import type { EhrFetch, EhrFetchInit } from '../server/ehr/index.js';
import { requestEhr } from '../server/ehr/transport.js';
import { DEFAULT_PARALLEL_REQUESTS } from '../server/ehr/clinical/batch.js';
import { mapLimit } from '../server/ehr/map-limit.js';
import { listColumns } from '../contract/columns.js';
import { startServer } from '../server/start.js';
import { logger } from '../server/platform/logger.js';
import { auditExportTarget, benchAuditExport } from './audit-export.js';
import { FIRST_LOAD_WIRE_BUDGET_BYTES, INITIAL_JS_BUDGET_BYTES, firstLoadWire, initialJs, type WireFile } from './initial-js.js';

/**
 * The list endpoint against the raw FHIR batches it sends: for lists of 10, 50, 100 and 200
 * patients, with every column, against the sandbox in R4 and STU3. The sandbox runs in a process
 * of its own, as an EHR would. The FHIR calls the backend makes for one list load are recorded,
 * then replayed directly against the sandbox in the same run, with the same parallelism and HTTP
 * client; the ratio is list time over raw time (medians of several runs, list and raw taking turns
 * to go first). The list is read as the tab reads it, line by line as it arrives; each FHIR answer
 * is read whole, as a FHIR client must.
 *
 * Then the same 100-patient list with each FHIR request taking `--ehr-latency` ms longer (150
 * unless given; half on the way to the EHR, half on the way back): the time until the first row
 * has reached the client and until the whole list has, against the least any client could take,
 * ceil(batches / parallel requests) round trips, and beside it the same batches sent straight to
 * the EHR (the sandbox's own time, which no client saves). Last, the tab, built afresh: its initial JavaScript (gzip), and a first load's bytes on the
 * wire (the real server to Chromium). Then a day of 100,000 audit records exported as CSV from
 * Azure Table Storage (azurite) through the API (bench/audit-export.ts, alone: `tsx bench/audit-export.ts`).
 * Each target prints PASS or FAIL, and a failed one makes the exit status 1.
 */
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'ehr-latency': { type: 'string', default: '150' },
    sizes: { type: 'string', default: '10,50,100,200' },
    runs: { type: 'string', default: '41' },
    'latency-runs': { type: 'string', default: '15' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const runs = Number(args.runs);
const latencyRuns = Number(args['latency-runs']);
const latencyMs = Number(args['ehr-latency']);
if (!Number.isFinite(latencyMs) || latencyMs <= 0) throw new Error('--ehr-latency takes a number of milliseconds above 0.');
const json = args.json;
// The request log would print a line per load (LOG_LEVEL is read from the environment at start).
logger.level = 'warn';
/** Untimed list and raw loads of each size before its timed runs: this many patients' worth, at least 10 loads. */
const WARM_UP_PATIENTS = 2000;
/** The list the latency runs and the first-row and whole-list targets are about. */
const LATENCY_PATIENTS = 100;

interface Recorded {
  url: string;
  init: Omit<EhrFetchInit, 'signal'> & { signal?: undefined };
}
let recording: Recorded[] | null = null;
// The app's EHR requests go through undici's request with the link guard's dispatcher; so do the
// replays, and the list loads too: list and raw times are taken with the same HTTP client.
const recordingFetch: EhrFetch = async (input, init) => {
  const url = String(input);
  // FHIR reads only: token and discovery calls are cached after the warm-up anyway.
  if (recording && !/\/(token|metadata|smart-configuration)$/.test(url)) recording.push({ url, init: { ...init, signal: undefined } });
  return requestEhr(input, init);
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Reads a list answer as the tab does (client/features/lists/api/read-list-answers.ts): the
 * line-by-line form, each line parsed as soon as it is complete, so the client's work on the
 * rows is spread over their arrival. Times from `started`: the first row and the end line.
 */
async function readListAsTab(res: Dispatcher.ResponseData, started: number): Promise<{ firstRowMs: number; wholeMs: number; rows: number }> {
  if (res.statusCode !== 200) throw new Error(`the list answered ${res.statusCode}`);
  const decoder = new TextDecoder();
  let pending = '';
  let rows = 0;
  let firstRowMs: number | undefined;
  let ended = false;
  for await (const piece of res.body) {
    const lines = (pending + decoder.decode(piece as Uint8Array, { stream: true })).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const item = JSON.parse(line) as { row?: unknown; end?: { ehrError?: unknown } };
      if (item.row) {
        rows++;
        firstRowMs ??= performance.now() - started;
      } else if (item.end) {
        if (item.end.ehrError) throw new Error('the list came with an EHR error');
        ended = true;
      }
    }
  }
  if (firstRowMs === undefined || !ended || pending) throw new Error('the list came without rows, or cut off');
  return { firstRowMs, wholeMs: performance.now() - started, rows };
}

async function replay(calls: Recorded[], parallel: number): Promise<void> {
  // Any client reads the JSON it asked for.
  await mapLimit(calls, parallel, async (call) => {
    const { method, headers, body, dispatcher } = call.init;
    return (await undiciRequest(call.url, { method, headers, body, dispatcher })).body.json();
  });
}

interface EhrProcess {
  fhir: Record<'r4' | 'stu3', string>;
  origin: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** Sets how long the EHR holds each FHIR request before answering it. */
  setLatency(ms: number): Promise<void>;
  /** CPU time the EHR's process has taken so far, in ms. */
  cpuMs(): Promise<number>;
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
    async setLatency(ms) {
      const res = await fetch(`${origin}/latency/${ms}`, { method: 'PUT' });
      if (res.status !== 204) throw new Error(`the sandbox process refused the latency ${ms} ms`);
    },
    async cpuMs() {
      const { user, system } = (await (await undiciRequest(`${origin}/cpu`)).body.json()) as NodeJS.CpuUsage;
      return (user + system) / 1000;
    },
    stop: () => child.kill(),
  };
}

interface TableRow {
  version: string;
  patients: number;
  fhirRequests: number;
  listMs: number;
  rawMs: number;
  /** CPU time of this process (the app and the client reading the list; the client alone for raw), median per load. */
  listCpuMs: number;
  rawCpuMs: number;
  /** CPU time of the EHR's process per list load (median): the same requests as a raw load. */
  ehrCpuMs: number;
  ratio: number;
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
    // The least any API call costs this client: one hop to the app and back, no token, no store.
    const healthTimes: number[] = [];
    for (let run = 0; run < 200; run++) {
      const started = performance.now();
      await (await undiciRequest(`${server.url}/api/health`)).body.json();
      healthTimes.push(performance.now() - started);
    }
    const results: TableRow[] = [];
    for (const size of sizes) {
      const list = await api('POST', '/lists', { name: `Bench ${size}` });
      await api('PATCH', `/lists/${list.id}`, { columns: [...listColumns] });
      for (let i = 0; i < size; i += 100) await api('POST', `/lists/${list.id}/patients`, { patientIds: ids.slice(i, Math.min(size, i + 100)) });
      // One list load, and the FHIR calls the backend made for it.
      const recordedLoad = async (): Promise<Recorded[]> => {
        const calls: Recorded[] = (recording = []);
        const res = await undiciRequest(`${server.url}/api/teams/${team.id}/lists/${list.id}`, {
          headers: { ...headers, accept: 'application/x-ndjson' },
        });
        const { rows } = await readListAsTab(res, performance.now());
        if (rows !== size) throw new Error(`the list came with ${rows} rows of ${size}`);
        recording = null;
        return calls;
      };
      // Warm: discovery and token are cached by then, and the calls of one load are known.
      let calls = await recordedLoad();
      // Untimed pairs first, so that what is timed is the app's compiled code and a young heap grown
      // to its load, as in a server that has run a while, not V8 compiling the code or growing the
      // heap (the replay's work is mostly native JSON.parse, and its garbage grows the heap too).
      for (let run = 0; run < Math.max(10, Math.ceil(WARM_UP_PATIENTS / size)); run++) {
        calls = await recordedLoad();
        await replay(calls, DEFAULT_PARALLEL_REQUESTS);
      }
      const listTimes: number[] = [];
      const rawTimes: number[] = [];
      const listCpu: number[] = [];
      const rawCpu: number[] = [];
      const ehrCpu: number[] = [];
      const cpuSince = (start: NodeJS.CpuUsage) => {
        const used = process.cpuUsage(start);
        return (used.user + used.system) / 1000;
      };
      const loadList = async () => {
        const ehrBefore = await ehr.cpuMs();
        const cpu = process.cpuUsage();
        const started = performance.now();
        calls = await recordedLoad();
        listTimes.push(performance.now() - started);
        listCpu.push(cpuSince(cpu));
        ehrCpu.push((await ehr.cpuMs()) - ehrBefore);
      };
      const loadRaw = async () => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await replay(calls, DEFAULT_PARALLEL_REQUESTS);
        rawTimes.push(performance.now() - started);
        rawCpu.push(cpuSince(cpu));
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
        listCpuMs: round(median(listCpu)),
        rawCpuMs: round(median(rawCpu)),
        ehrCpuMs: round(median(ehrCpu)),
      });
    }
    // The same list over a distant EHR: first row and whole list as the client sees them arrive.
    const list = await api('POST', '/lists', { name: `Latency ${LATENCY_PATIENTS}` });
    await api('PATCH', `/lists/${list.id}`, { columns: [...listColumns] });
    await api('POST', `/lists/${list.id}/patients`, { patientIds: ids.slice(0, LATENCY_PATIENTS) });
    await ehr.setLatency(latencyMs);
    try {
      const streamedLoad = async () => {
        const started = performance.now();
        const res = await undiciRequest(`${server.url}/api/teams/${team.id}/lists/${list.id}`, {
          headers: { ...headers, accept: 'application/x-ndjson' },
        });
        const { firstRowMs, wholeMs } = await readListAsTab(res, started);
        return { firstRowMs, wholeMs };
      };
      const calls: Recorded[] = (recording = []);
      await streamedLoad();
      recording = null;
      // The same requests straight to the EHR, taking turns with the list: what the sandbox and the
      // network take whatever the client, against which the app's part of the whole list shows.
      const rawLoad = async () => {
        const started = performance.now();
        await replay(calls, DEFAULT_PARALLEL_REQUESTS);
        return performance.now() - started;
      };
      const loads = [];
      const rawLoads: number[] = [];
      for (let run = 0; run < latencyRuns; run++) {
        if (run % 2 === 0) loads.push(await streamedLoad());
        rawLoads.push(await rawLoad());
        if (run % 2 === 1) loads.push(await streamedLoad());
      }
      const batches = calls.length;
      const roundTrips = Math.ceil(batches / DEFAULT_PARALLEL_REQUESTS);
      return {
        table: results,
        emptyCallMs: round(median(healthTimes.slice(50)), 2),
        latency: {
          version: version.toUpperCase(),
          patients: LATENCY_PATIENTS,
          latencyMs,
          batches,
          parallel: DEFAULT_PARALLEL_REQUESTS,
          boundMs: roundTrips * latencyMs,
          firstRowMs: round(median(loads.map((l) => l.firstRowMs))),
          wholeMs: round(median(loads.map((l) => l.wholeMs))),
          rawMs: round(median(rawLoads)),
        },
      };
    } finally {
      await ehr.setLatency(0);
    }
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

interface Target {
  name: string;
  measured: string;
  limit: string;
  pass: boolean;
}

/**
 * The tab built afresh (as `npm run build` would) into a folder of its own: its initial JavaScript,
 * and the bytes a first load takes over the wire from the real server to Chromium.
 */
async function measureTab(): Promise<{ initialJsBytes: number; wire: { files: WireFile[]; bytes: number } }> {
  const outDir = mkdtempSync(join(tmpdir(), 'patients-bench-tab-'));
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    return { initialJsBytes: initialJs(outDir).gzipBytes, wire: await firstLoadWire(outDir) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// The build first: it would take the CPU from the timed loads otherwise.
const { initialJsBytes, wire } = await measureTab();
const cpuBefore = cpuTimes();
const ehr = await startEhr();
let all;
try {
  all = [await benchVersion('r4', ehr), await benchVersion('stu3', ehr)];
} finally {
  ehr.stop();
}
// The audit export last, on its own: azurite and the app share this machine's CPU.
const auditExport = await benchAuditExport();
const table = all.flatMap((v) => v.table);
const emptyCallMs = round(median(all.map((v) => v.emptyCallMs)), 2);
const latency = all.map((v) => v.latency);

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const targets: Target[] = [];
for (const [patients, limit] of [
  [100, 1.1],
  [10, 1.3],
] as const) {
  for (const r of table.filter((row) => row.patients === patients)) {
    targets.push({
      name: `${r.version} ${patients} patients, no latency: list / raw FHIR`,
      measured: String(r.ratio),
      limit: `≤ ${limit}`,
      pass: r.ratio <= limit,
    });
  }
}
for (const l of latency) {
  const wholeLimit = 1.15 * l.boundMs;
  targets.push({
    name: `${l.version} ${l.patients} patients, ${l.latencyMs} ms EHR latency: whole list`,
    measured: `${l.wholeMs} ms (${round(l.wholeMs / l.boundMs, 3)} × bound ${l.boundMs} ms)`,
    limit: `≤ ${round(wholeLimit)} ms`,
    pass: l.wholeMs <= wholeLimit,
  });
  targets.push({
    name: `${l.version} ${l.patients} patients, ${l.latencyMs} ms EHR latency: first row`,
    measured: `${l.firstRowMs} ms`,
    limit: `≤ ${l.latencyMs + 100} ms`,
    pass: l.firstRowMs <= l.latencyMs + 100,
  });
}
targets.push({
  name: "the tab's initial JavaScript (gzip)",
  measured: kb(initialJsBytes),
  limit: `≤ ${kb(INITIAL_JS_BUDGET_BYTES)}`,
  pass: initialJsBytes <= INITIAL_JS_BUDGET_BYTES,
});
targets.push({
  name: `a first load of the tab on the wire (${wire.files.length} files: ${[...new Set(wire.files.map((f) => f.encoding))].join(', ')})`,
  measured: kb(wire.bytes),
  limit: `≤ ${kb(FIRST_LOAD_WIRE_BUDGET_BYTES)}`,
  pass: wire.bytes <= FIRST_LOAD_WIRE_BUDGET_BYTES,
});
targets.push(auditExportTarget(auditExport));

if (json) console.log(JSON.stringify({ table, emptyCallMs, latency, initialJsBytes, firstLoadWire: wire, auditExport, targets }));
else {
  console.log('version  patients  FHIR requests  list ms  raw FHIR ms  ratio  list CPU ms  raw CPU ms  EHR CPU ms');
  for (const r of table) {
    console.log(
      `${r.version.padEnd(8)} ${String(r.patients).padStart(8)} ${String(r.fhirRequests).padStart(14)} ${String(r.listMs).padStart(8)} ${String(r.rawMs).padStart(12)} ${String(r.ratio).padStart(6)} ${String(r.listCpuMs).padStart(12)} ${String(r.rawCpuMs).padStart(11)} ${String(r.ehrCpuMs).padStart(11)}`,
    );
  }
  console.log(
    `An empty API call (GET /api/health, no token, no store) from the same client: ${emptyCallMs} ms, which every list load pays on top of the raw FHIR time.`,
  );
  console.log(`\nWith ${latencyMs} ms EHR latency (medians of ${latencyRuns} loads; bound = ceil(batches / parallel requests) × latency):`);
  console.log('version  patients  batches  parallel  bound ms  first row ms  whole list ms  whole / bound  raw FHIR ms  raw / bound');
  for (const l of latency) {
    console.log(
      `${l.version.padEnd(8)} ${String(l.patients).padStart(8)} ${String(l.batches).padStart(8)} ${String(l.parallel).padStart(9)} ${String(l.boundMs).padStart(9)} ${String(l.firstRowMs).padStart(13)} ${String(l.wholeMs).padStart(14)} ${String(round(l.wholeMs / l.boundMs, 3)).padStart(14)} ${String(l.rawMs).padStart(12)} ${String(round(l.rawMs / l.boundMs, 3)).padStart(12)}`,
    );
  }
  console.log(
    '(raw FHIR: the same batches sent straight to the EHR, taking turns with the list loads: the part of the whole list no client can save.)',
  );
  console.log('\nTargets:');
  for (const target of targets) console.log(`${target.pass ? 'PASS' : 'FAIL'}  ${target.name}: ${target.measured} (${target.limit})`);
  const cpuAfter = cpuTimes();
  if (cpuBefore && cpuAfter && cpuAfter.total > cpuBefore.total) {
    // On a shared virtual machine the host's other guests slow list and raw loads unevenly.
    const stolen = (100 * (cpuAfter.steal - cpuBefore.steal)) / (cpuAfter.total - cpuBefore.total);
    console.log(`CPU time taken by the virtual machine's host during the run (steal): ${stolen.toFixed(1)}%`);
  }
}
if (targets.some((target) => !target.pass)) process.exitCode = 1;
