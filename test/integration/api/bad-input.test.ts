import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// A tiny foreign web server standing in for links that are not usable FHIR servers.
function startForeignServer(): Promise<Server> {
  const capability = (fhirVersion: string, types: string[]) =>
    JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion, rest: [{ mode: 'server', resource: types.map((type) => ({ type })) }] });
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/r5/metadata'))
      return void res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(capability('5.0.0', ['Patient']));
    if (req.url?.startsWith('/nopatient/metadata'))
      return void res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(capability('4.0.1', ['Observation']));
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to our hospital</body></html>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: TestServer;
let foreign: Server;
let who: ReturnType<typeof cast>;
let base: string;
let closedPort: number;

beforeAll(async () => {
  [server, foreign] = await Promise.all([startTestServer(), startForeignServer()]);
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const connected = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  expect(connected.status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => foreign?.close(resolve));
});

const raw = async (path: string, init: RequestInit & { userId?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.userId) headers.set('authorization', `Bearer ${await server.tokenFor(init.userId)}`);
  const res = await fetch(`${server.url}${path}`, { ...init, headers });
  return { status: res.status, body: await res.json() };
};

describe('who may call', () => {
  it('refuses a call without a token, or with a forged one', async () => {
    const none = await raw(`${base}/lists`);
    expect(none).toMatchObject({ status: 401, body: { code: 'unauthenticated', requestId: expect.any(String) } });
    const forged = await raw(`${base}/lists`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.' } });
    expect(forged.status).toBe(401);
  });

  it('keeps outsiders and other tenants out, and settings to owners', async () => {
    expect((await server.api(who.outsider, 'GET', `/api/teams/${who.closedTeam.id}/lists`)).body.code).toBe('not_team_member');
    expect((await server.api(who.otherTenantOwner, 'GET', `${base}/connection`)).body.code).toBe('team_not_found');
    expect((await server.api(who.owner, 'GET', '/api/teams/00000000-0000-4000-8000-000000000000/lists')).body.code).toBe('team_not_found');
    expect((await server.api(who.owner, 'GET', '/api/teams/not-a-team/lists')).status).toBe(404);
    const byMember = await server.api(who.member, 'PUT', `${base}/connection`, { mode: 'manual' });
    expect(byMember).toMatchObject({ status: 403, body: { code: 'owner_required' } });
    expect((await server.api(who.member, 'GET', `${base}/connection`)).body.mode).toBe('ehr');
  });
});

describe('connecting to links that do not work', () => {
  const foreignUrl = (path: string) => `http://127.0.0.1:${(foreign.address() as AddressInfo).port}${path}`;
  const cases = [
    ['an unreachable server', () => `http://127.0.0.1:${closedPort}/fhir`, 502, 'ehr_unreachable'],
    ['a web page that is not FHIR', () => foreignUrl('/site'), 422, 'not_fhir'],
    ['an unsupported FHIR version', () => foreignUrl('/r5'), 422, 'unsupported_version'],
    ['a FHIR server without Patient', () => foreignUrl('/nopatient'), 422, 'no_patient_support'],
    ['a scheme other than http(s)', () => 'ftp://127.0.0.1/fhir', 400, 'link_not_allowed'],
  ] as const;

  it.each(cases)('explains %s and keeps the working connection', async (_name, url, status, code) => {
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: url(), name: 'Broken' });
    expect(res).toMatchObject({ status, body: { code, message: expect.any(String), requestId: expect.any(String) } });
    expect(res.body.message.length).toBeGreaterThan(10);
    const now = await server.api(who.owner, 'GET', `${base}/connection`);
    expect(now.body).toMatchObject({ mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  });

  it('says when the partner refuses our credentials', async () => {
    const wrong = await startTestServer({ EHR_CLIENT_ID: 'unregistered-client', EHR_CLIENT_SECRETS: 'wrong-secret', SANDBOX_PATIENTS: '3' });
    try {
      const w = cast(wrong.info);
      const res = await wrong.api(w.owner, 'PUT', `/api/teams/${w.team.id}/connection`, {
        mode: 'ehr',
        url: wrong.info.sandbox.fhir.r4,
        name: 'Sandbox',
      });
      expect(res).toMatchObject({ status: 502, body: { code: 'token_refused' } });
      expect(res.body.message).not.toContain('wrong-secret');
      expect((await wrong.api(w.owner, 'GET', `/api/teams/${w.team.id}/connection`)).body).toEqual({ mode: 'unset' });
    } finally {
      await wrong.stop();
    }
  });
});

describe('malformed requests change nothing', () => {
  it('refuses bad list names, malformed and oversized bodies', async () => {
    const before = (await server.api(who.owner, 'GET', `${base}/lists`)).body;
    for (const name of ['', '   ', 'x'.repeat(300)]) {
      expect((await server.api(who.owner, 'POST', `${base}/lists`, { name })).body.code).toBe('validation_failed');
    }
    expect((await server.api(who.owner, 'POST', `${base}/lists`, { name: 'ok', extra: 1 })).body.code).toBe('validation_failed');
    const json = { 'content-type': 'application/json' };
    expect((await raw(`${base}/lists`, { method: 'POST', userId: who.owner, headers: json, body: '{"name": ' })).body.code).toBe('malformed_json');
    const huge = JSON.stringify({ name: 'x'.repeat(200_000) });
    expect(await raw(`${base}/lists`, { method: 'POST', userId: who.owner, headers: json, body: huge })).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large' },
    });
    expect((await server.api(who.owner, 'GET', `${base}/lists`)).body).toEqual(before);
  });

  it('refuses shared text with invisible direction controls, which would show colleagues reordered words, saying so', async () => {
    const before = (await server.api(who.owner, 'GET', `${base}/lists`)).body;
    // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE; the marks U+200F RIGHT-TO-LEFT
    // and U+061C ARABIC LETTER MARK ("Bed 12-4" would show as "Bed 124-").
    for (const name of ['Ward \u202Egm 01', 'Bay \u2066A\u2069', 'Bed 12\u200F-4', 'Bed 12\u061C-4']) {
      const refused = await server.api(who.owner, 'POST', `${base}/lists`, { name });
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(refused.body.message).toContain('invisible text direction controls');
    }
    expect((await server.api(who.owner, 'GET', `${base}/lists`)).body).toEqual(before);
    for (const text of ['give \u202E01 mg', 'Give 2\u200F.5 mg', 'BP 120\u061C/80']) {
      const note = await server.api(who.member, 'POST', `${base}/patients/any-patient/notes`, { text });
      expect(note).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    }
    // Right-to-left writing itself is text like any other.
    expect((await server.api(who.owner, 'POST', `${base}/lists`, { name: 'جناح ٣' })).status).toBe(201);
    // The EHR link's name, which every member reads, too; the link stays as it was.
    const link = (await server.api(who.member, 'GET', `${base}/connection`)).body;
    const renamed = await server.api(who.owner, 'PUT', `${base}/connection`, {
      mode: 'ehr',
      url: server.info.sandbox.fhir.r4,
      name: '\u202E4R xobdnaS',
    });
    expect(renamed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(renamed.body.message).toContain('invisible text direction controls');
    expect((await server.api(who.member, 'GET', `${base}/connection`)).body).toEqual(link);
  });

  it('refuses unknown lists and patients the EHR does not have', async () => {
    const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Checked' })).body;
    expect((await server.api(who.owner, 'GET', `${base}/lists/00000000-0000-4000-8000-000000000000`)).body.code).toBe('list_not_found');
    expect((await server.api(who.owner, 'GET', `${base}/lists/nope`)).body.code).toBe('list_not_found');
    const ghost = await server.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ['no-such-patient-123'] });
    expect(ghost).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    const badId = await server.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ['../../etc/passwd'] });
    expect(badId.body.code).toBe('validation_failed');
    expect((await server.api(who.owner, 'GET', `${base}/lists/${list.id}`)).body.rows).toEqual([]);
  });

  it('refuses searches without criteria or with bad values', async () => {
    expect((await server.api(who.member, 'GET', `${base}/patients`)).body.code).toBe('search_criteria_required');
    expect((await server.api(who.member, 'GET', `${base}/patients?name=a&count=101`)).body.code).toBe('validation_failed');
    expect((await server.api(who.member, 'GET', `${base}/patients?birthdate=yesterday`)).body.code).toBe('validation_failed');
    expect((await server.api(who.member, 'GET', `${base}/patients?colour=blue`)).body.code).toBe('validation_failed');
  });

  it('answers malformed values with 400 and a request id before asking the EHR', async () => {
    const answers = [
      await server.api(who.member, 'GET', `${base}/patients?birthdate=1951-13-45`),
      await server.api(who.member, 'GET', `${base}/patients?birthdate=1951-02-29`),
      await server.api(who.member, 'GET', `${base}/patients?page=%00`),
      await server.api(who.member, 'GET', `${base}/patients?page=bm90IGEgbGluaw`),
      await server.api(who.member, 'GET', `${base}/patients/%ff`),
      await server.api(who.member, 'GET', `${base}/patients/%ff/details`),
      await server.api(who.member, 'GET', `${base}/patients/%E0%A4%A/notes`),
      await server.api(who.member, 'DELETE', `${base}/lists/00000000-0000-4000-8000-000000000000/patients/%ff`),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: expect.stringMatching(/^(validation_failed|invalid_page|malformed_path)$/),
        requestId: expect.any(String),
      });
    }
    expect(answers[4].body.code).toBe('malformed_path');
    expect(answers[2].body.code).toBe('invalid_page');
  });

  it('refuses list columns the team cannot show, naming them, and keeps the list', async () => {
    const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Columns' })).body;
    for (const columns of [
      ['name', 'field:anything'],
      ['name', 'nonsense'],
      ['name', 'constructor'],
      ['name', 'name'],
    ]) {
      const res = await server.api(who.member, 'PATCH', `${base}/lists/${list.id}`, { columns });
      expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(res.body.message).toContain(`“${columns[1]}”`);
    }
    expect((await server.api(who.member, 'GET', `${base}/lists/${list.id}`)).body.columns).toEqual(['name', 'mrn', 'birthDate', 'gender']);
  });

  it('asks for an EHR connection before searching', async () => {
    const other = `/api/teams/${who.contoso.teams[1].id}`;
    const owner = who.contoso.teams[1].owners[0];
    expect(await server.api(owner, 'GET', `${other}/patients?name=a`)).toMatchObject({ status: 409, body: { code: 'not_ehr_mode' } });
  });
});
