import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let ehrTeam: string;
let manualTeam: string;
let manualOwner: string;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  ehrTeam = `/api/teams/${who.team.id}`;
  const second = who.contoso.teams[1];
  manualTeam = `/api/teams/${second.id}`;
  manualOwner = second.owners[0];
  expect(
    (await server.api(who.owner, 'PUT', `${ehrTeam}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' })).status,
  ).toBe(200);
  expect((await server.api(manualOwner, 'PUT', `${manualTeam}/connection`, { mode: 'manual' })).status).toBe(200);
  const schema = { fields: [{ id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'] }] };
  expect((await server.api(manualOwner, 'PUT', `${manualTeam}/schema`, schema)).status).toBe(200);
});
afterAll(() => server?.stop());

describe('list columns', () => {
  it('refuses columns that are unknown, or not fields of the team, naming them, and keeps the list as it was', async () => {
    const list = (await server.api(who.member, 'POST', `${ehrTeam}/lists`, { name: 'Columns' })).body;
    for (const columns of [
      ['name', 'field:anything'],
      ['name', 'pulse'],
      ['name', 'constructor'],
      ['name', 'field:acuity'],
    ]) {
      const refused = await server.api(who.member, 'PATCH', `${ehrTeam}/lists/${list.id}`, { columns });
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(refused.body.message).toContain(`Unknown column “${columns[1]}”`);
    }
    const read = await server.api(who.member, 'GET', `${ehrTeam}/lists/${list.id}`);
    expect(read.body).toMatchObject({ columns: ['name', 'mrn', 'birthDate', 'gender'], version: 1 });
    expect((await server.api(who.member, 'PATCH', `${ehrTeam}/lists/${list.id}`, { columns: ['name', 'heartRate'] })).status).toBe(200);
  });

  it('in Manual mode, takes the schema’s fields and the clinical columns (not offered), and refuses other fields', async () => {
    const list = (await server.api(manualOwner, 'POST', `${manualTeam}/lists`, { name: 'Manual columns' })).body;
    const kept = await server.api(manualOwner, 'PATCH', `${manualTeam}/lists/${list.id}`, { columns: ['name', 'field:acuity', 'heartRate'] });
    expect(kept).toMatchObject({ status: 200, body: { columns: ['name', 'field:acuity', 'heartRate'] } });
    const refused = await server.api(manualOwner, 'PATCH', `${manualTeam}/lists/${list.id}`, { columns: ['name', 'field:anything'] });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(refused.body.message).toBe("Unknown column “field:anything”: this team's own fields are field:acuity (Acuity).");
  });
});

describe('patient search input', () => {
  const search = (query: string) => server.api(who.member, 'GET', `${ehrTeam}/patients?${query}`);

  it.each([
    ['birthdate=1951-13-45', 'validation_failed'],
    ['birthdate=2023-02-29', 'validation_failed'],
    ['name=Jane%00Doe', 'validation_failed'],
    ['family=Do%0Ae', 'validation_failed'],
    ['identifier=a|b|c', 'validation_failed'],
    ['name=a&count=0', 'validation_failed'],
    ['name=a&count=101', 'validation_failed'],
    ['name=a&count=1e1', 'validation_failed'],
    ['page=%00', 'invalid_page'],
    ['page=', 'invalid_page'],
    [`page=${Buffer.from('javascript:alert(1)').toString('base64url')}`, 'invalid_page'],
    [`page=${Buffer.from([0xff, 0xfe]).toString('base64url')}`, 'invalid_page'],
  ])('answers 400 to %s, before the EHR is asked', async (query, code) => {
    expect(await search(query)).toMatchObject({ status: 400, body: { code } });
  });

  it('still searches by a real date, an identifier system|value, and pages on', async () => {
    expect((await search('birthdate=2024-02-29')).status).toBe(200);
    expect((await search(`identifier=${encodeURIComponent('http://hospital.example/mrn|none')}`)).status).toBe(200);
    const first = await search('name=a&count=2');
    expect(first.status).toBe(200);
    if (first.body.next) expect((await search(`page=${first.body.next}`)).status).toBe(200);
  });
});
