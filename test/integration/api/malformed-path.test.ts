import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

describe('malformed percent-encoding in an address', () => {
  it.each(['patients/%ff', 'patients/%E0%A4%A/details', 'lists/%', 'manual-patients/abc%zz'])('answers 400 malformed_path for …/%s', async (path) => {
    const answer = await server.api(who.member, 'GET', `/api/teams/${who.team.id}/${path}`);
    expect(answer).toEqual({
      status: 400,
      body: { code: 'malformed_path', message: 'The address contains malformed percent-encoding.', requestId: expect.any(String) },
    });
  });

  it('answers 400 for a malformed team id too, and the server keeps answering', async () => {
    expect((await server.api(who.member, 'GET', '/api/teams/%c0/lists')).body.code).toBe('malformed_path');
    expect((await server.api(who.member, 'GET', `/api/teams/${who.team.id}/lists`)).status).toBe(200);
  });
});
