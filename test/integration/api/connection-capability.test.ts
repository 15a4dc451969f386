import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';
import { searchset, startFakeEhr, type FakeEhr } from '../../unit/ehr/fake-ehr';

// A team owner links an EHR whose capability statement lists a huge number of made-up resource
// types: the connection keeps only the types the app reads, a statement over 4 MB is refused,
// and a connection stored before (with every listed type) is answered with those types only.

let server: TestServer;
let ehr: FakeEhr;
let who: ReturnType<typeof cast>;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ SANDBOX_PATIENTS: '3' });
  ehr = await startFakeEhr();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
});
afterAll(async () => {
  await ehr?.close();
  await server?.stop();
});
beforeEach(() => ehr.reset());

/** A statement of `Patient`, `Observation` and `madeUp` made-up types, as bytes. */
function statement(madeUp: number): string {
  const types = ['Patient', 'Observation', ...Array.from({ length: madeUp }, (_, i) => `Made${i}`)];
  return JSON.stringify({
    resourceType: 'CapabilityStatement',
    status: 'active',
    fhirVersion: '4.0.1',
    rest: [{ mode: 'server', resource: types.map((type) => ({ type })) }],
  });
}

function serve(metadata: string): void {
  ehr.handle((request) => {
    if (request.url.pathname === '/fhir/metadata') return { headers: { 'content-type': 'application/fhir+json' }, body: metadata };
    if (request.url.pathname === '/fhir/Patient') return { json: searchset([]) };
    return { status: 404, json: { resourceType: 'OperationOutcome', issue: [] } };
  });
}

describe("an EHR link's capability statement", () => {
  it('keeps only the resource types the app reads, however many made-up ones the statement lists', async () => {
    const body = statement(150_000);
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    serve(body);
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: ehr.base, name: 'Many types', confirm: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'ehr', fhirVersion: 'R4', resources: ['Patient', 'Observation'] });
    const got = await server.api(who.member, 'GET', `${base}/connection`);
    expect(got.body).toMatchObject({ resources: ['Patient', 'Observation'] });
    expect(JSON.stringify(got.body).length).toBeLessThan(1_000);
  });

  it('refuses a statement over 4 MB in plain words, and keeps the team as it was', async () => {
    const before = (await server.api(who.member, 'GET', `${base}/connection`)).body;
    serve(statement(330_000));
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${ehr.base}`, name: 'Huge', confirm: true });
    expect(res).toMatchObject({ status: 502, body: { code: 'ehr_error' } });
    expect(res.body.message).toMatch(/capability statement at \/metadata\) is too large: over 4 MB/);
    expect((await server.api(who.member, 'GET', `${base}/connection`)).body).toEqual(before);
  });

  it('answers a connection stored before this check with the types the app reads only', async () => {
    const db = new Database(join(server.dataDir, 'patients.sqlite'));
    try {
      const stored = {
        mode: 'ehr',
        url: ehr.base,
        name: 'Stored before',
        fhirVersion: 'R4',
        auth: 'none',
        resources: ['Patient', ...Array.from({ length: 50_000 }, (_, i) => `Made${i}`), 'Condition', 'Patient'],
      };
      const changed = db
        .prepare('UPDATE team_settings SET connection = ? WHERE tenant_id = ? AND team_id = ?')
        .run(JSON.stringify(stored), who.contoso.id, who.team.id);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    const got = await server.api(who.member, 'GET', `${base}/connection`);
    expect(got).toMatchObject({ status: 200, body: { name: 'Stored before', resources: ['Patient', 'Condition'] } });
  });
});
