import { afterAll, beforeAll, expect, it } from 'vitest';
import { outcomesOf, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * Every versioned write reads the version the caller read from `If-Match` as well as from the body
 * (server/features/shared/version-read.ts): a client that sends only the header never makes an
 * unconditional change over a colleague's, and a header and a body naming two versions are refused.
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

/** A write with `If-Match` (and a body, sent as JSON), as a client that uses the header would send it. */
async function withIfMatch(userId: string, method: string, path: string, ifMatch: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await server.tokenFor(userId)}`, 'content-type': 'application/json', 'if-match': ifMatch },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { code?: string; version?: number };
  const records = await outcomesOf(server, res.headers.get('x-request-id')!);
  return { status: res.status, code: answer.code, records };
}

it('refuses a patient edit or a schema save sent with a stale If-Match alone, changing nothing', async () => {
  const patient = (await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Bed', values: {} })).body as { id: string };
  // A colleague's edit: version 1 is a stale read from here on.
  expect((await server.api(who.member, 'PATCH', `${base}/manual-patients/${patient.id}`, { name: 'Ada Bedford', version: 1 })).status).toBe(200);
  const stale = await withIfMatch(who.member, 'PATCH', `${base}/manual-patients/${patient.id}`, '"1"', { name: 'Ada B.' });
  expect(stale).toMatchObject({ status: 412, code: 'version_conflict', records: ['PatientDetailsEdit:failure'] });
  expect((await server.api(who.member, 'GET', `${base}/manual-patients/${patient.id}`)).body).toMatchObject({ name: 'Ada Bedford', version: 2 });

  const fields = [{ id: 'acuity', label: 'Acuity', type: 'text' }];
  expect((await server.api(who.owner, 'PUT', `${base}/schema`, { fields, version: 0 })).body).toMatchObject({ version: 1 });
  const staleSchema = await withIfMatch(who.owner, 'PUT', `${base}/schema`, '"0"', {
    fields: [...fields, { id: 'plan', label: 'Plan', type: 'text' }],
  });
  expect(staleSchema).toMatchObject({ status: 412, code: 'version_conflict', records: ['PatientSchemaUpdate:failure'] });
  expect((await server.api(who.member, 'GET', `${base}/schema`)).body).toMatchObject({ fields, version: 1 });
});

it('refuses a note correction, a discharge or a re-admission whose If-Match and body name two versions', async () => {
  const patient = (await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Bo Chair', values: {} })).body as { id: string };
  const note = (await server.api(who.member, 'POST', `${base}/patients/${patient.id}/notes`, { text: 'Seen' })).body as { id: string };
  const notePath = `${base}/patients/${patient.id}/notes/${note.id}`;
  expect(await withIfMatch(who.member, 'PATCH', notePath, '"2"', { text: 'Seen twice', version: 1 })).toMatchObject({
    status: 400,
    code: 'validation_failed',
    records: ['PatientNoteCorrect:failure'],
  });
  const notes = (await server.api(who.member, 'GET', `${base}/patients/${patient.id}/notes`)).body.notes as { text: string; version: number }[];
  expect(notes).toMatchObject([{ text: 'Seen', version: 1 }]);

  const discharge = `${base}/manual-patients/${patient.id}/discharge`;
  expect(await withIfMatch(who.member, 'POST', discharge, '"7"', { version: 1 })).toMatchObject({ status: 400, code: 'validation_failed' });
  expect((await server.api(who.member, 'GET', `${base}/manual-patients/${patient.id}`)).status).toBe(200);
  // Header and body agreeing: the discharge goes through.
  expect((await withIfMatch(who.member, 'POST', discharge, '"1"', { version: 1 })).status).toBe(200);
  const readmit = `${base}/discharged-patients/${patient.id}/readmit`;
  const discharged = (await server.api(who.member, 'GET', `${base}/discharged-patients/${patient.id}`)).body as { version: number };
  expect(await withIfMatch(who.member, 'POST', readmit, `"${discharged.version + 1}"`, { version: discharged.version })).toMatchObject({
    status: 400,
    code: 'validation_failed',
  });
  expect((await server.api(who.member, 'GET', `${base}/discharged-patients/${patient.id}`)).status).toBe(200);
});
