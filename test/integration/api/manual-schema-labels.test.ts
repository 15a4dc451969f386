import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, callAs, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

it('refuses a schema with two fields labelled alike: nothing saved, the refusal recorded', async () => {
  const first = { fields: [{ id: 'acuity', label: 'Acuity', type: 'text' }], version: 0 };
  expect((await callAs(server, who.owner, 'PUT', `${base}/schema`, first)).status).toBe(200);

  // Two columns both called "Acuity": a reader, an export and an import could not tell which is which.
  const twins = { fields: [...first.fields, { id: 'acuity2', label: 'ACUITY ', type: 'number' }], version: 1 };
  const refused = await callAs(server, who.owner, 'PUT', `${base}/schema`, twins);
  expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed', fields: ['fields.1.label'] } });
  expect(refused.body.message).toContain('labels two fields');
  expect((await callAs(server, who.member, 'GET', `${base}/schema`)).body).toEqual({ fields: first.fields, version: 1 });
  expect((await auditEventsOf(server, refused.requestId)).map((e) => [e.operation, e.outcome])).toEqual([['PatientSchemaUpdate', 'failure']]);
});

it('refuses a field labelled as a built-in one is headed ("MRN", "Location"): nothing saved, the refusal recorded', async () => {
  const before = (await callAs(server, who.member, 'GET', `${base}/schema`)).body as { fields: object[]; version: number };
  // A list and its export would head two columns "MRN", and an import could not tell which a column fills.
  for (const label of ['MRN', ' name', 'Birth  date', 'LOCATION']) {
    const fields = [...before.fields, { id: 'other', label, type: 'text' }];
    const refused = await callAs(server, who.owner, 'PUT', `${base}/schema`, { fields, version: before.version });
    expect(refused, label).toMatchObject({ status: 400, body: { code: 'validation_failed', fields: [`fields.${fields.length - 1}.label`] } });
    expect(refused.body.message).toMatch(/^“.+” is the label of a built-in field \(.+\); give this field its own label/);
    expect((await auditEventsOf(server, refused.requestId)).map((e) => [e.operation, e.outcome])).toEqual([['PatientSchemaUpdate', 'failure']]);
  }
  expect((await callAs(server, who.member, 'GET', `${base}/schema`)).body).toEqual(before);
  // Words that only contain a built-in label stay free.
  const fine = [...before.fields, { id: 'homeMrn', label: 'MRN at home hospital', type: 'text' }];
  expect((await callAs(server, who.owner, 'PUT', `${base}/schema`, { fields: fine, version: before.version })).status).toBe(200);
});
