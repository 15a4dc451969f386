import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditOperations, type AuditEvent } from '../contract/audit.js';
import { mapLimit } from '../server/ehr/map-limit.js';
import { devDirectory } from '../server/identity/dev-directory.js';
import { openTableAuditLog } from '../server/storage/azure-table/table-audit-log.js';
import { startServer } from '../server/start.js';
import { startAzurite } from '../test/helpers/azurite.js';

/** A busy day of one hospital: 100,000 audit records. */
export const AUDIT_DAY_EVENTS = 100_000;
/** Its export as CSV through the API, from the first request byte to the last answer byte. */
export const AUDIT_EXPORT_LIMIT_MS = 10_000;

export interface AuditExportResult {
  events: number;
  loadMs: number;
  exportMs: number;
  csvBytes: number;
  /** CPU time the export took in azurite and in this process (the app and the client reading it), where the system tells. */
  cpuMs?: { azurite: number; app: number };
  /** The machine's 1-minute load average when it ended, against its cores: a busy machine stretches the wall time. */
  load: { average: number; cores: number };
}

/** User and system CPU time of a process in ms, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

const DAY = '2026-11-23';
const auditReader = devDirectory.users.find((u) => u.name === 'Casey Lindqvist')!;

/** The day's records: spread over 24 hours, 40 users, 5,000 patients, 8 teams, every operation. */
function record(i: number): AuditEvent {
  return {
    time: new Date(Date.parse(`${DAY}T00:00:00.000Z`) + Math.floor((i * 86_400_000) / AUDIT_DAY_EVENTS)).toISOString(),
    operation: auditOperations[i % auditOperations.length],
    outcome: i % 50 === 0 ? 'failure' : 'success',
    status: i % 50 === 0 ? 403 : 200,
    tenantId: auditReader.tenantId,
    teamId: `team-${i % 8}`,
    userId: `user-${i % 40}`,
    patientId: i % 7 === 0 ? null : `patient-${i % 5000}`,
    listId: i % 3 === 0 ? `list-${i % 30}` : null,
    requestId: `request-${Math.floor(i / 4)}`,
  };
}

/**
 * Loads a day of 100,000 records into azurite (Microsoft's Table Storage emulator, in memory), in
 * appends of 100 as list views write them, then exports the day as CSV through the running app
 * (AUDIT_STORE=azure-table) as the audit reader, reading the stream to its end.
 */
export async function benchAuditExport(): Promise<AuditExportResult> {
  const azurite = await startAzurite();
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-bench-audit-'));
  const env = {
    PORT: '0',
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-tab'),
    SANDBOX_PATIENTS: '20',
    AUDIT_STORE: 'azure-table',
    AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
    AUDIT_TABLE_NAME: 'BenchAudit',
  };
  try {
    const log = await openTableAuditLog({ connectionString: azurite.connectionString, tableName: env.AUDIT_TABLE_NAME });
    const loadStart = performance.now();
    const appends = Array.from({ length: AUDIT_DAY_EVENTS / 100 }, (_, a) => a);
    await mapLimit(appends, 8, (a) => log.append(...Array.from({ length: 100 }, (_, k) => record(a * 100 + k))));
    const loadMs = Math.round(performance.now() - loadStart);

    const server = await startServer(env);
    try {
      const tokenRes = await fetch(`${server.url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: auditReader.id }),
      });
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      const query = `format=csv&from=${DAY}T00:00:00.000Z&to=${DAY}T23:59:59.999Z&limit=${AUDIT_DAY_EVENTS}`;
      const azuriteCpu = processCpuMs(azurite.pid);
      const appCpu = process.cpuUsage();
      const exportStart = performance.now();
      const res = await fetch(`${server.url}/api/audit?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`the export answered ${res.status}`);
      let csvBytes = 0;
      let lines = 0;
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        csvBytes += read.value.length;
        for (let at = read.value.indexOf(10); at !== -1; at = read.value.indexOf(10, at + 1)) lines++;
      }
      const exportMs = Math.round(performance.now() - exportStart);
      const app = process.cpuUsage(appCpu);
      const azuriteAfter = processCpuMs(azurite.pid);
      const cpuMs =
        azuriteCpu === undefined || azuriteAfter === undefined
          ? undefined
          : { azurite: Math.round(azuriteAfter - azuriteCpu), app: Math.round((app.user + app.system) / 1000) };
      // The header line and one line per record: an export that lost records does not count.
      if (lines - 1 !== AUDIT_DAY_EVENTS) throw new Error(`the export held ${lines - 1} records, not ${AUDIT_DAY_EVENTS}`);
      return { events: lines - 1, loadMs, exportMs, csvBytes, cpuMs, load: { average: loadavg()[0], cores: cpus().length } };
    } finally {
      await server.close();
    }
  } finally {
    await azurite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function auditExportTarget(r: AuditExportResult) {
  return {
    name: `export of a day of ${r.events.toLocaleString('en')} audit records from Azure Table Storage (azurite) as CSV through the API`,
    measured:
      `${r.exportMs} ms (${(r.csvBytes / 1e6).toFixed(1)} MB` +
      (r.cpuMs ? `; CPU: azurite ${r.cpuMs.azurite} ms, app and client ${r.cpuMs.app} ms` : '') +
      `; load average ${r.load.average.toFixed(1)} on ${r.load.cores} cores; loading the day took ${r.loadMs} ms)`,
    limit: `≤ ${AUDIT_EXPORT_LIMIT_MS} ms`,
    pass: r.exportMs <= AUDIT_EXPORT_LIMIT_MS,
  };
}

// `tsx bench/audit-export.ts` runs this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = auditExportTarget(await benchAuditExport());
  console.log(`${target.pass ? 'PASS' : 'FAIL'}  ${target.name}: ${target.measured} (${target.limit})`);
  if (!target.pass) process.exitCode = 1;
}
