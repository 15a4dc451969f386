import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { listColumns } from '../../../contract/columns';
import { devDirectory } from '../../../server/identity/dev-directory';
import { startAppInsightsStandIn, type AppInsightsStandIn } from '../../helpers/app-insights-standin';
import { startSlowEhr, type SlowEhr } from '../../helpers/slow-ehr';
import { cast, startTestSso, type DevInfo, type TestSso } from '../../helpers/test-server';

// A whole session against the app as its own process, with Application Insights on: nothing a
// patient could be recognised by, and no token or secret, reaches the logs or the telemetry.
const dataDir = mkdtempSync(join(tmpdir(), 'patients-telemetry-'));
let sso: TestSso;
let ehr: SlowEhr;
let insights: AppInsightsStandIn;
beforeAll(async () => {
  [sso, ehr, insights] = await Promise.all([startTestSso(), startSlowEhr(12), startAppInsightsStandIn()]);
});
afterAll(async () => {
  await Promise.all([sso?.close(), ehr?.stop(), insights?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Patient {
  id: string;
  displayName: string;
  mrn: string | null;
  birthDate: string | null;
}

it('sends request spans named by route template, and neither spans nor logs hold patient data, tokens or secrets', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      ...sso.env,
      ...ehr.env,
      PORT: '0',
      DATA_DIR: dataDir,
      SANDBOX_PATIENTS: '1',
      STATIC_DIR: join(dataDir, 'no-tab'),
      LOG_LEVEL: 'info',
      APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
      NODE_EXTRA_CA_CERTS: insights.caFile,
      // Every trace, and none of the exporter's own usage reports (they go to Microsoft's endpoint).
      OTEL_TRACES_SAMPLER: 'always_on',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  onTestFailed(() => void process.stderr.write(`--- app output ---\n${output}\n---\n`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const look = () => {
        const found = /(http:\/\/localhost:\d+)/.exec(output)?.[1];
        if (found) resolve(found);
      };
      child.stdout.on('data', look);
      void exited.then(() => reject(new Error(`the app exited early:\n${output}`)));
    });

    const info = (await (await fetch(`${url}/dev/info`)).json()) as DevInfo;
    const who = cast(info);
    const reader = devDirectory.auditReaders![0];
    const token = await sso.tokenFor(url, who.owner);
    const readerToken = await sso.tokenFor(url, reader);
    const base = `${url}/api/teams/${who.team.id}`;
    const call = async (method: string, path: string, body?: unknown, bearer = token, accept = '*/*') => {
      const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
    };

    // The user story: connect, search, a list with clinical columns, details, a note, exports, the audit trail.
    expect((await call('PUT', '/connection', { mode: 'ehr', url: `${ehr.origin}/sandbox/r4`, name: 'EHR' })).status).toBe(200);
    const patients = (await call('GET', '/patients?gender=female&count=5')).json().patients as Patient[];
    const patient = patients.find((p) => p.mrn && p.birthDate)!;
    const family = patient.displayName.split(' ').at(-1)!;
    for (const query of [`family=${encodeURIComponent(family)}`, `identifier=${encodeURIComponent(patient.mrn!)}`, `birthdate=${patient.birthDate}`])
      expect((await call('GET', `/patients?${query}`)).status).toBe(200);
    const list = (await call('POST', '/lists', { name: 'Ward 7 rounds' })).json() as { id: string };
    await call('PATCH', `/lists/${list.id}`, { columns: [...listColumns] });
    await call('POST', `/lists/${list.id}/patients`, { patientIds: patients.map((p) => p.id) });
    expect((await call('GET', `/lists/${list.id}`)).status).toBe(200);
    expect((await call('GET', `/lists/${list.id}`, undefined, token, 'application/x-ndjson')).text).toContain('{"end":');
    expect((await call('GET', `/patients/${patient.id}/details`)).status).toBe(200);
    const noteText = 'Tolerating oral intake, wound clean, family visiting at 18:00';
    expect((await call('POST', `/patients/${patient.id}/notes`, { text: noteText })).status).toBe(201);
    expect((await call('GET', `/patients/${patient.id}/notes`)).status).toBe(200);
    const link = (await call('POST', `/lists/${list.id}/export`, { timeZone: 'UTC' })).json() as { url: string };
    expect((await call('GET', `${url}${link.url}`)).text).toContain(patient.mrn!);
    expect((await call('GET', `${url}/api/audit?format=csv&patient=${encodeURIComponent(patient.id)}`, undefined, readerToken)).status).toBe(200);
    expect((await call('GET', `/patients/${patient.id}/no-such-thing?mrn=${patient.mrn}`)).status).toBe(404);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const requests = insights.envelopes().filter((e) => e.data?.baseType === 'RequestData');
    const names = requests.map((e) => String(e.data!.baseData!.name));
    expect(names).toContain('GET /api/teams/:teamId/lists/:listId');
    expect(names).toContain('POST /api/teams/:teamId/patients/:patientId/notes');
    expect(names).toContain('GET /api/teams/:teamId/patients/:patientId/details');
    expect(insights.otherRequests).toEqual([]);

    const seen = { telemetry: insights.batches.join('\n'), logs: output };
    const secret = ehr.env.EHR_CLIENT_SECRETS;
    const forbidden = [
      ...patients.flatMap((p) => [p.id, p.displayName, p.mrn, p.birthDate]),
      family,
      noteText,
      'Ward 7 rounds',
      link.url.split('/').at(-1)!,
      token,
      readerToken,
      secret,
    ].filter((s): s is string => Boolean(s));
    for (const [where, text] of Object.entries(seen)) {
      for (const value of forbidden) expect(text.includes(value), `${value} in ${where}`).toBe(false);
      expect(text, `a query string in ${where}`).not.toMatch(/\?[a-z]+=/i);
    }
  } finally {
    child.kill('SIGKILL');
  }
});
