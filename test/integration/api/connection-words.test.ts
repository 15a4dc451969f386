import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/** What an owner reads when a link cannot be used, and when the connection body is wrong: plain words, no field paths. */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ SANDBOX_PATIENTS: '3' });
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
});
afterAll(() => server?.stop());

describe('a link that is not a FHIR server', () => {
  it("reads “This address is not a FHIR server” for the app's own /api/health, and keeps the team unset", async () => {
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${server.url}/api/health`, name: 'Health' });
    expect(res).toMatchObject({ status: 422, body: { code: 'not_fhir' } });
    expect(res.body.message).toMatch(/^This address is not a FHIR server/);
    expect(res.body.message).not.toMatch(/must be open|metadata must/);
    expect((await server.api(who.owner, 'GET', `${base}/connection`)).body).toEqual({ mode: 'unset' });
  });
});

describe('a connection body that is wrong', () => {
  it.each([
    [{ mode: 'ehr', url: 'ehr.example.org/fhir', name: 'Main' }, 'The EHR link must be a web address (https://…).', ['url']],
    [{ mode: 'ehr', url: 'https://ehr.example.org/fhir', name: ' ' }, 'The connection name must not be empty.', ['name']],
    [{ mode: 'ehr', name: 'Main' }, 'The EHR link is missing.', ['url']],
    [{ mode: 'cloud' }, 'The choice of EHR or Manual mode is not one the app accepts.', ['mode']],
  ])('answers %j with a sentence naming the field as the form does', async (body, message, fields) => {
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, body);
    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed', message, fields } });
    expect((await server.api(who.owner, 'GET', `${base}/connection`)).body).toEqual({ mode: 'unset' });
  });
});

describe('a FHIR base with a query or a fragment', () => {
  it.each(['?x=1', '#top', '?'])('refuses the sandbox link with %j after it, and keeps the team unset', async (extra) => {
    const res = await server.api(who.owner, 'PUT', `${base}/connection`, {
      mode: 'ehr',
      url: `${server.info.sandbox.fhir.r4}${extra}`,
      name: 'Sandbox',
    });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', message: "A FHIR server's address has no query (?…) or fragment (#…).", fields: ['url'] },
    });
    expect((await server.api(who.owner, 'GET', `${base}/connection`)).body).toEqual({ mode: 'unset' });
  });
});

describe('refusals made by the services, not the schemas', () => {
  it('names the list to move a patient to in words, never as toListId', async () => {
    const connected = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
    expect(connected.status).toBe(200);
    const [patient] = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=1`)).body.patients;
    const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Ward' })).body;
    expect((await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [patient.id] })).status).toBe(200);
    const res = await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients/${patient.id}/move`, { toListId: list.id });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', message: 'The list to move the patient to must be another list.', fields: ['toListId'] },
    });
  });
});
