import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { memberEdits } from '../../helpers/graph-member-edits';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';
import { cast } from '../../helpers/test-server';

// Production mode, team data in the team's SharePoint site (the Graph emulator). A member of the
// team edits the app's rows there with their own Graph token, past the app, to speak for someone
// else; what the team then sees through the app.
let production: ProductionHarness;
let who: ReturnType<typeof cast>;
let base = '';
const nameOf = (id: string) => devDirectory.users.find((u) => u.id === id)!.name;

beforeAll(async () => {
  production = await startProductionHarness(devDirectory);
  who = cast(production.info);
  base = `/api/teams/${who.team.id}`;
});
afterAll(() => production?.stop());

describe('team data edited in SharePoint past the app', () => {
  it("shows a note a member re-attributed to the owner as no one's, and lets no one correct it", async () => {
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    const patient = await production.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Lovelace', values: {} });
    expect(patient.status).toBe(201);
    const patientId = (patient.body as { id: string }).id;
    const added = await production.api(who.member, 'POST', `${base}/patients/${patientId}/notes`, { text: 'Owner says: stop the anticoagulant' });
    expect(added).toMatchObject({ status: 201, body: { authorId: who.member, authorName: nameOf(who.member) } });
    const noteId = (added.body as { id: string }).id;

    const member = memberEdits(production.graph, who.contoso.id, who.team.id, who.member);
    const row = (await member.rows('Patients app – notes')).find((r) => r.fields.NoteId === noteId)!;
    await member.update('Patients app – notes', row.id, { AuthorId: who.owner, AuthorName: nameOf(who.owner) });

    const seen = await production.api(who.owner, 'GET', `${base}/patients/${patientId}/notes`);
    expect(seen.status).toBe(200);
    const [note] = (seen.body as { notes: { authorId: string; authorName: string; text: string }[] }).notes;
    expect(note).toMatchObject({ authorId: '', authorName: '(not verified: changed outside the Patients app)', authorUnverified: 'altered' });
    expect(note.authorName).not.toContain(nameOf(who.owner));
    // The owner it names cannot correct it in the app, nor can its writer: nothing changes.
    for (const user of [who.owner, who.member]) {
      const corrected = await production.api(user, 'PATCH', `${base}/patients/${patientId}/notes/${noteId}`, { text: 'Continue it', version: 1 });
      expect(corrected.status, user).toBe(403);
    }
    const after = (await member.rows('Patients app – notes')).find((r) => r.fields.NoteId === noteId)!;
    expect(after.fields).toMatchObject({ NoteText: 'Owner says: stop the anticoagulant', Version: 1 });
  });

  it('does not use a connection a member rewrote: the team is not set up until an owner sets it again', async () => {
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    const member = memberEdits(production.graph, who.contoso.id, who.team.id, who.member);
    const [row] = (await member.rows('Patients app – settings')).filter((r) => r.fields.Title === 'Connection');
    const link = { mode: 'ehr', url: 'https://fhir.attacker.example.net/r4', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: ['Patient'] };
    await member.update('Patients app – settings', row.id, { Value: JSON.stringify(link), UpdatedBy: who.owner });

    expect(await production.api(who.member, 'GET', `${base}/connection`)).toMatchObject({ status: 200, body: { mode: 'unset' } });
    const teams = await production.api(who.member, 'GET', '/api/me/teams');
    expect(teams.body).toMatchObject({ teams: expect.arrayContaining([expect.objectContaining({ id: who.team.id, mode: 'unset' })]) });
    // What the team asks of it is refused with what to do, and the link is never used.
    const refused = await production.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Grace Hopper', values: {} });
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'not_manual_mode', message: expect.stringContaining('A team owner can switch it in the settings') },
    });
    const search = await production.api(who.member, 'GET', `${base}/patients?name=smith`);
    expect(search).toMatchObject({
      status: 409,
      body: { code: 'not_ehr_mode', message: expect.stringContaining('A team owner can connect it in the settings') },
    });

    // The owner sets it again in the app, and it is used again.
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true })).status).toBe(200);
    expect(await production.api(who.member, 'GET', `${base}/connection`)).toMatchObject({ status: 200, body: { mode: 'manual' } });
  });

  it('never follows a list id a member planted in the catalog past the app: no path into another site is read or deleted', async () => {
    expect((await production.api(who.member, 'POST', `${base}/lists`, { name: 'Real' })).status).toBe(201);
    const member = memberEdits(production.graph, who.contoso.id, who.team.id, who.member);
    for (const listId of ['x/../../../sites/other-site/lists/victim', '..', 'a?b=c'])
      await member.add('Patients app – lists', {
        Title: 'Planted',
        ListId: listId,
        Columns: '[]',
        Version: 1,
        DeletePendingAt: '2020-01-01T00:00:00Z',
      });
    await member.add('Patients app – lists', { Title: 'Planted too', ListId: '../victim', Columns: '[]', Version: 1 });
    const seen = production.graph.requests.length;
    const lists = await production.api(who.member, 'GET', `${base}/lists`);
    expect(lists.status).toBe(200);
    expect((lists.body as { name: string }[]).map((l) => l.name)).not.toContain('Planted too');
    const sent = production.graph.requests.slice(seen).map((r) => `${r.method} ${r.path}`);
    expect(sent.filter((r) => /victim|other-site|\.\.|a\?b=c/.test(r))).toEqual([]);
  });

  it("reads a patient's values a member rewrote in SharePoint as values: what is not one is left out, and the list and the patient keep working", async () => {
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true })).status).toBe(200);
    const fields = [
      { id: 'nurse', label: 'Assigned nurse', type: 'person' },
      { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'] },
    ];
    const schema = (await production.api(who.owner, 'GET', `${base}/schema`)).body as { version: number };
    expect((await production.api(who.owner, 'PUT', `${base}/schema`, { fields, version: schema.version })).status).toBe(200);
    const created = await production.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Byron', values: { acuity: 'Low' } });
    expect(created.status).toBe(201);
    const patientId = (created.body as { id: string }).id;
    const list = (await production.api(who.member, 'POST', `${base}/lists`, { name: 'Ward' })).body as { id: string };
    await production.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [patientId] });
    await production.api(who.member, 'PATCH', `${base}/lists/${list.id}`, { columns: ['name', 'field:acuity', 'field:nurse'] });

    const member = memberEdits(production.graph, who.contoso.id, who.team.id, who.member);
    const row = (await member.rows('Patients app – manual patients')).find((r) => r.fields.PatientId === patientId)!;
    for (const [stored, kept] of [
      ['null', {}],
      ['"text"', {}],
      ['[1,2]', {}],
      ['{"acuity":"High","extra":{"a":1},"nurse":{"id":"x"},"n":null}', { acuity: 'High' }],
    ] as const) {
      await member.update('Patients app – manual patients', row.id, { Values: stored });
      const one = await production.api(who.member, 'GET', `${base}/manual-patients/${patientId}`);
      expect(one, stored).toMatchObject({ status: 200, body: { values: kept } });
      expect((one.body as { values: object }).values, stored).toEqual(kept);
      expect((await production.api(who.owner, 'GET', `${base}/lists/${list.id}`)).status, stored).toBe(200);
      const version = (one.body as { version: number }).version;
      const edited = await production.api(who.member, 'PATCH', `${base}/manual-patients/${patientId}`, { name: 'Ada Byron', values: {}, version });
      expect(edited.status, stored).toBe(200);
    }
  });
});
