import { afterAll, beforeAll, expect, it } from 'vitest';
import { callAs, outcomesOf, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/** A list change that sends what the list already has changes nothing, and the trail records no change. */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

const operations = (requestId: string) => outcomesOf(server, requestId);

it('shows a list sent its own name and columns as it is: version kept, no rename or column change recorded', async () => {
  const list = (await callAs(server, who.member, 'POST', `${base}/lists`, { name: 'Rounds' })).body as { id: string };
  const shown = (await callAs(server, who.member, 'GET', `${base}/lists/${list.id}`)).body as { columns: string[]; version: number };

  const same = await callAs(server, who.member, 'PATCH', `${base}/lists/${list.id}`, {
    name: 'Rounds',
    columns: shown.columns,
    version: shown.version,
  });
  expect(same).toMatchObject({ status: 200, body: { name: 'Rounds', version: shown.version } });
  expect(await operations(same.requestId)).toEqual(['PatientListView:success']);

  // The same name with new columns: a change of columns alone, recorded as that.
  const columns = [...shown.columns, 'location'];
  const recolumned = await callAs(server, who.member, 'PATCH', `${base}/lists/${list.id}`, { name: 'Rounds', columns, version: shown.version });
  expect(recolumned).toMatchObject({ status: 200, body: { name: 'Rounds', columns, version: shown.version + 1 } });
  expect(await operations(recolumned.requestId)).toEqual(['PatientListEditColumns:success', 'PatientListView:success']);

  // Sent at a version since moved on from, it is still refused as a conflict.
  const stale = await callAs(server, who.member, 'PATCH', `${base}/lists/${list.id}`, { name: 'Rounds', version: shown.version });
  expect(stale).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
  expect(await operations(stale.requestId)).toEqual(['PatientListRename:failure']);
});

it('refuses a change whose If-Match and body name two different versions: nothing changed, the refusal recorded', async () => {
  const list = (await callAs(server, who.member, 'POST', `${base}/lists`, { name: 'Night' })).body as { id: string };
  // Renamed once: version 1 is a stale read from here on.
  const { version } = (await callAs(server, who.member, 'PATCH', `${base}/lists/${list.id}`, { name: 'Nights', version: 1 })).body as {
    version: number;
  };
  expect(version).toBe(2);
  // The body's version is stale, the header's current: taking the header would let a change made on a stale read stand.
  const res = await fetch(`${server.url}${base}/lists/${list.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, 'content-type': 'application/json', 'if-match': `"${version}"` },
    body: JSON.stringify({ name: 'Days', version: version - 1 }),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
  expect(await operations(res.headers.get('x-request-id')!)).toEqual(['PatientListRename:failure']);
  expect((await callAs(server, who.member, 'GET', `${base}/lists/${list.id}`)).body).toMatchObject({ name: 'Nights', version });
});
