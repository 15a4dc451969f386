import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import type { Json } from '../../helpers/json';
import { cast } from '../../helpers/test-server';

/**
 * Manual mode's field types through the API on both stores: values checked by type, persons named
 * from the team's members, and schema changes that conflict with existing values refused with the
 * patients named. `leave` makes a stored person someone who is not in the team, as after they left.
 */
function leave(server: StoreHarness, patientId: string, field: string, person: { id: string; name: string }) {
  const { store } = server;
  if (store.kind === 'sqlite') {
    const db = new Database(join(store.dataDir, 'patients.sqlite'));
    db.prepare("UPDATE manual_patients SET data = json_set(data, '$.values.' || ?, json(?)) WHERE id = ?").run(
      field,
      JSON.stringify(person),
      patientId,
    );
    db.close();
    return;
  }
  for (const site of store.graph.state.sites.values()) {
    const list = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients');
    const item = list && [...list.items.values()].find((i) => i.fields.PatientId === patientId);
    if (item) item.fields.Values = JSON.stringify({ ...JSON.parse(String(item.fields.Values)), [field]: person });
  }
}

const fields = [
  { id: 'nurse', label: 'Assigned nurse', type: 'person' },
  { id: 'status', label: 'Status', type: 'choice', choices: ['Stable', 'Watch', 'Critical'], colours: { Watch: 'orange', Critical: 'red' } },
  { id: 'weight', label: 'Weight', type: 'number', unit: 'kg', min: 1, max: 300 },
  { id: 'lastSeen', label: 'Last seen', type: 'dateTime' },
  { id: 'history', label: 'History', type: 'longText' },
  { id: 'isolation', label: 'Isolation', type: 'yesNo' },
  { id: 'bed', label: 'Bed', type: 'text' },
];

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let who: ReturnType<typeof cast>;
  let base: string;
  let version = 0;
  const names = (userIds: string[]) => userIds.map((id) => server.info.users.find((u) => u.id === id)!.name);

  const putSchema = (next: unknown[]) => server.call(who.owner, 'PUT', `${base}/schema`, { fields: next, version });
  const roster = async () => (await server.call(who.member, 'GET', `${base}/manual-patients`)).body.patients as { name: string; values: Json }[];

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    base = `/api/teams/${who.team.id}`;
    expect((await server.call(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    const saved = await putSchema(fields);
    expect(saved).toMatchObject({ status: 200, body: { fields } });
    version = saved.body.version as number;
  }, 60_000);
  afterAll(() => server?.stop());

  it('lists the team’s members by name for the picker, to members of that team only', async () => {
    const answer = await server.call(who.member, 'GET', `${base}/members`);
    expect(answer.status).toBe(200);
    expect((answer.body.members as { name: string }[]).map((m) => m.name)).toEqual(names(who.team.members).sort());
    expect((await server.call(who.outsider, 'GET', `/api/teams/${who.closedTeam.id}/members`)).body.code).toBe('not_team_member');
    expect((await server.call(who.otherTenantOwner, 'GET', `${base}/members`)).status).toBe(404);
  });

  it('takes a value of every type, naming the person as the directory does', async () => {
    const created = await server.call(who.member, 'POST', `${base}/manual-patients`, {
      name: 'Ada Lovelace',
      values: {
        nurse: { id: who.member, name: 'Forged Name' },
        status: 'Watch',
        weight: 61.5,
        lastSeen: '2026-11-23T14:30+01:00',
        history: 'Line one\nLine two',
        isolation: false,
        bed: '4',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.values).toEqual({
      nurse: { id: who.member, name: names([who.member])[0] },
      status: 'Watch',
      weight: 61.5,
      lastSeen: '2026-11-23T14:30+01:00',
      history: 'Line one\nLine two',
      isolation: false,
      bed: '4',
    });
    expect(
      (await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Grace Hopper', values: { status: 'Watch', weight: 250 } })).status,
    ).toBe(201);
    expect((await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Alan Turing', values: { status: 'Stable' } })).status).toBe(
      201,
    );
  });

  // The message is English for API callers; `issues` carry the same refusal as codes with what the tab's words need.
  it.each([
    [{ nurse: { id: 'not-a-member' } }, 'Assigned nurse: choose a member of this team.', { field: 'nurse', code: 'not_member' }],
    [{ nurse: 'Blake Okafor' }, 'Assigned nurse: choose a member of this team.', { field: 'nurse', code: 'not_member' }],
    [{ weight: 301 }, 'Weight: enter a number from 1 to 300 (kg).', { field: 'weight', code: 'above_max', min: 1, max: 300, unit: 'kg' }],
    [{ weight: 0 }, 'Weight: enter a number from 1 to 300 (kg).', { field: 'weight', code: 'below_min', min: 1, max: 300, unit: 'kg' }],
    [
      { lastSeen: '2026-11-23T14:30' },
      'Last seen: enter a real date and time with its zone, like 2026-11-23T14:30+01:00.',
      { field: 'lastSeen', code: 'not_date_time' },
    ],
    [
      { status: 'Gone' },
      'Status: choose one of Stable, Watch, Critical.',
      { field: 'status', code: 'not_choice', choices: ['Stable', 'Watch', 'Critical'] },
    ],
    [{ isolation: 'no' }, 'Isolation: answer yes or no (true or false).', { field: 'isolation', code: 'not_yes_no' }],
  ])('refuses %j with %j and adds no one', async (values, message, issue) => {
    const before = (await roster()).length;
    const refused = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Refused', values });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed', message } });
    expect(refused.body.issues).toEqual([issue]);
    expect(await roster()).toHaveLength(before);
  });

  it('refuses a member of another team or tenant as the person', async () => {
    const stranger = who.otherTenantOwner;
    const refused = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Refused', values: { nurse: { id: stranger } } });
    expect(refused.body.message).toBe('Assigned nurse: choose a member of this team.');
  });

  it.each([
    [
      'removing a choice still chosen',
      { choices: ['Stable', 'Critical'], colours: { Critical: 'red' } },
      'Status: “Watch” is still chosen for Ada Lovelace, Grace Hopper; choose another for them first.',
    ],
    [
      'narrowing a range below a value',
      { max: 200 },
      'Weight: Grace Hopper has values outside the new range (a number from 1 to 200 (kg)); change their values first.',
    ],
    [
      'making a field required that some lack',
      { required: true },
      'Weight: Alan Turing has no value; fill it in for them before making it required.',
    ],
    [
      'changing a type',
      { type: 'text', unit: undefined, min: undefined, max: undefined },
      'Weight: cannot become a text field while Ada Lovelace, Grace Hopper have a value; clear their values first.',
    ],
  ])('refuses %s with 409 naming the patients, and keeps the schema', async (_case, change, message) => {
    const id = 'choices' in change ? 'status' : 'weight';
    const next = fields.map((f) => (f.id === id ? { ...f, ...change } : f));
    const refused = await putSchema(next);
    expect(refused).toMatchObject({ status: 409, body: { code: 'schema_conflict' } });
    expect(refused.body.message).toBe(`The change conflicts with values patients already have. ${message}`);
    expect((await server.call(who.member, 'GET', `${base}/schema`)).body).toEqual({ fields, version });
  });

  it('allows a change that fits every value: a wider range, a new colour', async () => {
    const next = fields.map((f) =>
      f.id === 'weight' ? { ...f, max: 400 } : f.id === 'status' ? { ...f, colours: { Watch: 'yellow', Stable: 'green', Critical: 'red' } } : f,
    );
    const saved = await putSchema(next);
    expect(saved).toMatchObject({ status: 200, body: { fields: next } });
    version = saved.body.version as number;
    expect((await putSchema(fields)).status).toBe(200);
    version += 1;
  });

  it('keeps a person who left the team on the record, and refuses them as a new value', async () => {
    const [ada] = (await server.call(who.member, 'GET', `${base}/manual-patients`)).body.patients as { id: string; version: number }[];
    const gone = { id: '0a1b2c3d-0000-4000-8000-0000000000ff', name: 'Robin Gone' };
    leave(server, ada!.id, 'nurse', gone);
    const read = await server.call(who.member, 'GET', `${base}/manual-patients/${ada!.id}`);
    expect(read.body.values).toMatchObject({ nurse: gone });
    // An edit of another value, sending the patient's values back as the tab does, still saves.
    const edited = await server.call(who.member, 'PATCH', `${base}/manual-patients/${ada!.id}`, {
      name: 'Ada Lovelace',
      values: { nurse: { id: gone.id }, bed: '5' },
    });
    expect(edited).toMatchObject({ status: 200, body: { values: { nurse: gone, bed: '5' } } });
    const other = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Refused', values: { nurse: { id: gone.id } } });
    expect(other).toMatchObject({ status: 400, body: { message: 'Assigned nurse: choose a member of this team.' } });
    const chosen = await server.call(who.member, 'PATCH', `${base}/manual-patients/${ada!.id}`, {
      name: 'Ada Lovelace',
      values: { nurse: { id: who.owner } },
    });
    expect(chosen.body.values).toMatchObject({ nurse: { id: who.owner, name: names([who.owner])[0] } });
  });
});
