import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, callAs } from '../../helpers/audit-records';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// PUT …/me/default-list names its list in the body, not the path. Its success names that list;
// a refusal must too, so an auditor sees which list a member tried to choose (a list of another
// team, a deleted one), not a record naming no list.
let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

it('records a refused default list choice with the list the body named', async () => {
  const otherTeam = `/api/teams/${who.contoso.teams[1].id}`;
  const theirs = (await server.api(who.contoso.teams[1].owners[0], 'POST', `${otherTeam}/lists`, { name: 'Cardiology' })).body.id as string;
  const refused = await callAs(server, who.member, 'PUT', `/api/teams/${who.team.id}/me/default-list`, { listId: theirs });
  expect(refused).toMatchObject({ status: 404, body: { code: 'list_not_found' } });
  const records = await auditEventsOf(server, refused.requestId);
  expect(records).toEqual([
    expect.objectContaining({ operation: 'PatientListSetDefault', outcome: 'failure', status: 404, teamId: who.team.id, listId: theirs }),
  ]);
});

it('names no list when the body names none in the shape of an id', async () => {
  const refused = await callAs(server, who.member, 'PUT', `/api/teams/${who.team.id}/me/default-list`, { listId: 'Ward, 4B' });
  expect(refused.status).toBe(400);
  expect(await auditEventsOf(server, refused.requestId)).toEqual([
    expect.objectContaining({ operation: 'PatientListSetDefault', outcome: 'failure', status: 400, listId: null }),
  ]);
});
