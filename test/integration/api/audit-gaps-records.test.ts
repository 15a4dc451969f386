import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsOf, auditReader, startManualTeam, type AuditEvent } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * Two gaps an outside review found in what the trail records: who paged through one patient's
 * trail, and a Manual-mode import's upload (refused or accepted).
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
const reader = () => auditReader(server);

beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

async function get(path: string, userId = reader()) {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await server.tokenFor(userId)}` } });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as { events: AuditEvent[]; next?: string } };
}

describe("reading one patient's trail", () => {
  it('names the patient in the AuditView record of every page that gives their records: the first screenful and each page continued with after', async () => {
    const created = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Trail Paged', values: {} });
    expect(created.status).toBe(201);
    const patient = created.body.id as string;
    expect((await server.api(who.member, 'GET', `${base}/manual-patients/${patient}`)).status).toBe(200);

    const first = await get(`/api/audit?patient=${encodeURIComponent(patient)}&limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(1);
    expect(first.body.next).toBeDefined();
    const second = await get(`/api/audit?patient=${encodeURIComponent(patient)}&limit=1&after=${encodeURIComponent(first.body.next!)}`);
    expect(second.status).toBe(200);
    expect(second.body.events).toHaveLength(1);
    expect(second.body.events[0].requestId).not.toBe(first.body.events[0].requestId);

    // The first screenful gave the patient's records (a screenful can be the whole trail): it names the patient.
    expect(await auditEventsOf(server, first.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'success', userId: reader(), patientId: patient },
    ]);
    expect(await auditEventsOf(server, second.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'success', userId: reader(), patientId: patient },
    ]);
    // The patient's own trail answers who paged through it.
    const trail = (await get(`/api/audit?patient=${encodeURIComponent(patient)}&operation=AuditView`)).body.events;
    expect(trail.map((e) => e.requestId)).toEqual([first.requestId, second.requestId]);

    // A continuation refused (its token was made for other filters) is an attempt on that trail, naming the patient too.
    const other = await get(`/api/audit?limit=1`);
    const refused = await get(`/api/audit?patient=${encodeURIComponent(patient)}&limit=1&after=${encodeURIComponent(other.body.next!)}`);
    expect(refused.status).toBe(400);
    expect(await auditEventsOf(server, refused.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'failure', status: 400, patientId: patient },
    ]);

    // A read filtered by no patient names none.
    expect(await auditEventsOf(server, other.requestId)).toMatchObject([{ operation: 'AuditView', outcome: 'success', patientId: null }]);
  });
});

describe("a Manual-mode import's upload", () => {
  const upload = async (userId: string, file: Buffer, type = 'application/octet-stream') => {
    const res = await fetch(`${server.url}${base}/manual-import/file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.tokenFor(userId)}`, 'content-type': type, 'x-file-name': 'ward.csv' },
      body: new Uint8Array(file),
    });
    return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as { code?: string; rowCount?: number } };
  };
  const file = Buffer.from('Name,MRN\nAda Lovelace,IMP-1\nGrace Hopper,IMP-2\n');

  it('records a refused upload as a failure: a member who is not the owner, and a file that is not one', async () => {
    const notOwner = await upload(who.member, file);
    expect(notOwner).toMatchObject({ status: 403, body: { code: 'owner_required' } });
    expect(await auditEventsOf(server, notOwner.requestId)).toMatchObject([
      { operation: 'PatientDetailsEdit', outcome: 'failure', status: 403, teamId: who.team.id, userId: who.member, patientId: null },
    ]);

    const json = await upload(who.owner, Buffer.from('{"rows":[]}'), 'application/json');
    expect(json.status).toBe(415);
    expect(await auditEventsOf(server, json.requestId)).toMatchObject([
      { operation: 'PatientDetailsEdit', outcome: 'failure', status: 415, userId: who.owner },
    ]);
  });

  it('records an accepted upload, before its answer, as the import it starts', async () => {
    const accepted = await upload(who.owner, file);
    expect(accepted).toMatchObject({ status: 200, body: { rowCount: 2 } });
    expect(await auditEventsOf(server, accepted.requestId)).toEqual([
      expect.objectContaining({
        operation: 'PatientDetailsEdit',
        outcome: 'success',
        status: 200,
        teamId: who.team.id,
        userId: who.owner,
        patientId: null,
      }),
    ]);
  });
});
