import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// The app against the sandbox behaving like real servers seen in the field (server/sandbox/quirks.ts).
let server: TestServer;
let who: ReturnType<typeof cast>;
const base = () => `/api/teams/${who.team.id}`;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

async function connect(version: 'r4' | 'stu3' | 'dstu2', quirks: string) {
  return server.api(who.owner, 'PUT', `${base()}/connection`, {
    mode: 'ehr',
    url: `${server.info.sandbox.fhir[version]}/quirks/${quirks}`,
    name: quirks,
    // Each case moves the team to another link while its list holds patients.
    confirm: true,
  });
}

/** Search, a list of three with clinical columns, and its rows: what a clinician does first. */
async function roundTrip() {
  const found = await server.api(who.member, 'GET', `${base()}/patients?gender=female&count=3`);
  expect(found.status).toBe(200);
  expect(found.body.patients.length).toBeGreaterThan(0);
  const names = found.body.patients.map((p: { displayName: string }) => p.displayName.split(' ').at(-1));
  expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
  const family = found.body.patients[0].displayName.split(' ').at(-1).slice(1, 4);
  const byPart = await server.api(who.member, 'GET', `${base()}/patients?family=${encodeURIComponent(family)}`);
  expect(byPart.status).toBe(200);
  const list = (await server.api(who.member, 'POST', `${base()}/lists`, { name: 'Quirks' })).body;
  await server.api(who.member, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'heartRate', 'location', 'conditions'] });
  const added = await server.api(who.member, 'POST', `${base()}/lists/${list.id}/patients`, {
    patientIds: found.body.patients.map((p: { id: string }) => p.id),
  });
  expect(added.status).toBe(200);
  const view = (await server.api(who.member, 'GET', `${base()}/lists/${list.id}`)).body;
  for (const row of view.rows) {
    expect(row.available).toBe(true);
    expect(row.cells.heartRate.status).toBe('ok');
    expect(row.cells.location.status).toBe('ok');
  }
  return { found, view };
}

describe.each(['r4', 'stu3', 'dstu2'] as const)('the app against a %s server', (version) => {
  it.each([
    'no-total,outcome-entries,sort-ignored',
    'sort-rejected,no-contains',
    'plain-json',
    'legacy-content-type',
    'throttle',
    'unavailable',
    'token-expiry',
  ])('works with quirks %s', async (quirks) => {
    const connected = await connect(version, quirks);
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    await roundTrip();
  });

  it('shows partial birth dates as given and reads times without a zone', async () => {
    expect((await connect(version, 'partial-dates')).status).toBe(200);
    const { found, view } = await roundTrip();
    for (const p of found.body.patients) expect(p.birthDate).toMatch(/^\d{4}$/);
    expect(view.rows[0].cells.heartRate.value.time.text).not.toMatch(/Z$/);
  });
});

it('explains a server that answers XML', async () => {
  const res = await connect('r4', 'xml');
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(['not_fhir', 'ehr_error']).toContain(res.body.code);
});

it('times out a slow server with a clear error', async () => {
  const impatient = await startTestServer({ EHR_TIMEOUT_MS: '500', SANDBOX_PATIENTS: '3' });
  try {
    const w = cast(impatient.info);
    const res = await impatient.api(w.owner, 'PUT', `/api/teams/${w.team.id}/connection`, {
      mode: 'ehr',
      url: `${impatient.info.sandbox.fhir.r4}/quirks/slow`,
      name: 'Slow',
    });
    expect(res).toMatchObject({ status: 504, body: { code: 'ehr_timeout' } });
  } finally {
    await impatient.stop();
  }
});
