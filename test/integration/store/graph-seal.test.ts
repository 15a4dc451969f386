import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { valueOf } from '../../../server/features/shared/outcomes';
import type { TeamStore } from '../../../server/storage/ports';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import type { SealKeys } from '../../../server/storage/sharepoint/row-seal';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { memberEdits, writable } from '../../helpers/graph-member-edits';
import { testSealKeys } from '../../helpers/production-settings';

// A member of the team edits the app's rows in the team's SharePoint site directly (their own Graph
// token, past the app); the app reads them back and must not vouch for what it did not write.

const tenant = '4c1e2d3f-5a6b-4c7d-8e9f-0a1b2c3d4e55';
const team = { tenantId: tenant, teamId: 'bb22cc33-dd44-4e55-8f66-007788990011' };
const otherTeam = { tenantId: tenant, teamId: 'cc33dd44-ee55-4f66-8a77-118899001122' };
const NOTES = 'Patients app – notes';
const SETTINGS = 'Patients app – settings';
const DEFAULTS = 'Patients app – default lists';
const MANUAL = 'Patients app – manual patients';
const avery = { id: 'user-avery', name: 'Dr Avery' };
const blake = { id: 'user-blake', name: 'Dr Blake' };
const altered = '(not verified: changed outside the Patients app)';
const unsealed = '(not verified: written before the app sealed its records, or outside the app)';
const ehr = {
  mode: 'ehr' as const,
  url: 'https://fhir.hospital.example.org/r4',
  name: 'Hospital EHR',
  fhirVersion: 'R4' as const,
  auth: 'client_credentials' as const,
  resources: ['Patient'],
};

let graph: GraphEmulator;
let store: TeamStore;
let member: ReturnType<typeof memberEdits>;

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const open = (sealKeys: SealKeys = testSealKeys) => openGraphStore({ baseUrl: graph.url, sealKeys, getAccessToken: async (t) => graph.tokenFor(t) });

beforeEach(async () => {
  graph = await startGraphEmulator();
  graph.addGroup(tenant, team.teamId, 'Ward 7');
  graph.addGroup(tenant, otherTeam.teamId, 'Ward 8');
  store = open();
  member = memberEdits(graph, tenant, team.teamId);
});

afterEach(async () => {
  await store.close();
  await graph.close();
});

/** The row of a note, by the note's id. */
const noteRow = async (noteId: string) => (await member.rows(NOTES)).find((r) => r.fields.NoteId === noteId)!;

describe('notes the app did not write so', () => {
  it('names no author when a member rewrites who wrote a note, and lets no one correct it', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', avery, 'Give 40 mg furosemide IV now'));
    const row = await noteRow(note.id);
    await member.update(NOTES, row.id, { AuthorId: blake.id, AuthorName: blake.name });

    const [seen] = await store.listNotes(team, 'pat-1');
    expect(seen).toMatchObject({ id: note.id, text: 'Give 40 mg furosemide IV now', authorId: '', authorName: altered, authorUnverified: 'altered' });
    expect(seen.authorName).not.toContain(blake.name);
    expect((await store.latestNotes(team, ['pat-1'])).get('pat-1')).toMatchObject({ authorId: '', authorName: altered, authorUnverified: 'altered' });
    // Neither the colleague it now names nor its real author may correct or withdraw it, and it stays as it is.
    expect(await store.reviseNote(team, 'pat-1', note.id, blake.id, 'Hold furosemide', 1)).toEqual({ ok: false, reason: 'not_author' });
    expect(await store.reviseNote(team, 'pat-1', note.id, avery.id, null, 1)).toEqual({ ok: false, reason: 'not_author' });
    expect((await noteRow(note.id)).fields).toMatchObject({ NoteText: 'Give 40 mg furosemide IV now', AuthorId: blake.id, Version: 1 });
  });

  it('names no author when a member rewrites the text or the earlier texts of a correction', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', avery, 'Fasting from midnight'));
    valueOf(await store.reviseNote(team, 'pat-1', note.id, avery.id, 'Fasting from 6 am', 1));
    const row = await noteRow(note.id);
    await member.update(NOTES, row.id, { Revisions: JSON.stringify([{ text: 'No need to fast', writtenAt: note.createdAt }]) });
    expect((await store.listNotes(team, 'pat-1'))[0]).toMatchObject({ authorId: '', authorName: altered });

    const other = valueOf(await store.addNote(team, 'pat-1', avery, 'Allergic to penicillin'));
    await member.update(NOTES, (await noteRow(other.id)).id, { NoteText: 'No known allergies' });
    expect((await store.listNotes(team, 'pat-1'))[1]).toMatchObject({ text: 'No known allergies', authorId: '', authorName: altered });
  });

  it('does not follow a note a member moved to another patient', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', avery, 'DNR discussed with family'));
    await member.update(NOTES, (await noteRow(note.id)).id, { PatientId: 'pat-2', Title: 'pat-2' });
    expect(await store.listNotes(team, 'pat-2')).toEqual([expect.objectContaining({ id: note.id, authorId: '', authorName: altered })]);
  });

  it('names no author of a row whose seal was removed, or taken from another note, team or row', async () => {
    const first = valueOf(await store.addNote(team, 'pat-1', avery, 'Mobilise twice daily'));
    const second = valueOf(await store.addNote(team, 'pat-1', blake, 'Bed rest'));
    const stripped = await noteRow(first.id);
    await member.update(NOTES, stripped.id, { AppSeal: null });
    // The second note's seal on a copy of it that says something else, in the name of its author.
    const copied = await noteRow(second.id);
    await member.add(NOTES, { ...writable(copied.fields), NoteId: 'forged-note', NoteText: 'Discharge today' });
    // A note of another team, sealed by the app there, copied whole into this team's list.
    const elsewhere = valueOf(await store.addNote(otherTeam, 'pat-1', blake, 'Start antibiotics'));
    const theirs = (await memberEdits(graph, tenant, otherTeam.teamId).rows(NOTES)).find((r) => r.fields.NoteId === elsewhere.id)!;
    await member.add(NOTES, writable(theirs.fields));

    const notes = await store.listNotes(team, 'pat-1');
    expect(notes.map((n) => [n.text, n.authorId, n.authorName])).toEqual([
      ['Mobilise twice daily', '', unsealed],
      ['Bed rest', blake.id, blake.name],
      ['Discharge today', '', altered],
      ['Start antibiotics', '', altered],
    ]);
  });

  it('names no author of a row added by hand, without a seal', async () => {
    valueOf(await store.addNote(team, 'pat-9', avery, 'The notes list exists once a note was written'));
    await member.add(NOTES, {
      Title: 'pat-1',
      PatientId: 'pat-1',
      NoteId: 'hand-made',
      AuthorId: avery.id,
      AuthorName: avery.name,
      NoteText: 'Stop all meds',
    });
    expect(await store.listNotes(team, 'pat-1')).toEqual([
      expect.objectContaining({ text: 'Stop all meds', authorId: '', authorName: unsealed, authorUnverified: 'unsealed' }),
    ]);
  });
});

describe('settings an owner did not set in the app', () => {
  it('does not use an EHR link or mode a member rewrote: the team reads as not set up until an owner sets it again', async () => {
    valueOf(await store.setConnection(team, ehr, 'owner-1'));
    const [row] = (await member.rows(SETTINGS)).filter((r) => r.fields.Title === 'Connection');
    await member.update(SETTINGS, row.id, { Value: JSON.stringify({ ...ehr, url: 'https://fhir.attacker.example.net/r4' }) });
    expect(await store.getConnection(team)).toEqual({ mode: 'unset' });

    await member.update(SETTINGS, row.id, { Value: JSON.stringify({ mode: 'manual' }), UpdatedBy: 'owner-1' });
    expect(await store.getConnection(team)).toEqual({ mode: 'unset' });
    // Nothing the app reads changed the row back: it is the member's until an owner sets it again.
    expect((await member.rows(SETTINGS)).find((r) => r.id === row.id)!.fields.Value).toBe(JSON.stringify({ mode: 'manual' }));

    valueOf(await store.setConnection(team, ehr, 'owner-1'));
    expect(await store.getConnection(team)).toEqual(ehr);
  });

  it('does not take the seal of one setting for another, or of another team', async () => {
    valueOf(await store.setConnection(team, ehr, 'owner-1'));
    valueOf(await store.setConnection(otherTeam, { mode: 'manual' }, 'owner-2'));
    const theirs = (await memberEdits(graph, tenant, otherTeam.teamId).rows(SETTINGS)).find((r) => r.fields.Title === 'Connection')!;
    const [ours] = (await member.rows(SETTINGS)).filter((r) => r.fields.Title === 'Connection');
    await member.update(SETTINGS, ours.id, writable(theirs.fields));
    expect(await store.getConnection(team)).toEqual({ mode: 'unset' });

    // The connection's seal on a Manual schema row.
    valueOf(await store.setConnection(team, { mode: 'manual' }, 'owner-1'));
    const [sealed] = (await member.rows(SETTINGS)).filter((r) => r.fields.Title === 'Connection');
    await member.add(SETTINGS, {
      ...writable(sealed.fields),
      Title: 'Manual schema',
      Value: JSON.stringify([{ id: 'x', label: 'X', type: 'text' }]),
    });
    expect(await store.getSchema(team)).toBeNull();
  });

  it('does not use a Manual schema a member rewrote; an owner saves it again from nothing', async () => {
    const fields = [{ id: 'risk', label: 'Risk', type: 'number' as const }];
    valueOf(await store.setSchema(team, fields, 0));
    valueOf(await store.setSchema(team, [...fields, { id: 'bed', label: 'Bed', type: 'text' as const }], 1));
    const [row] = (await member.rows(SETTINGS)).filter((r) => r.fields.Title === 'Manual schema');
    await member.update(SETTINGS, row.id, { Value: JSON.stringify([{ id: 'risk', label: 'Risk of fall', type: 'text' }]) });

    expect(await store.getSchema(team)).toBeNull();
    // The owner saw no schema (version 0): their save replaces the row, which reads back as theirs.
    expect(await store.setSchema(team, fields, 2)).toEqual({ ok: false, reason: 'conflict' });
    expect(await store.setSchema(team, fields, 0)).toEqual({ ok: true, value: { fields, version: 1 } });
    expect(await store.getSchema(team)).toEqual({ fields, version: 1 });
    expect((await member.rows(SETTINGS)).filter((r) => r.fields.Title === 'Manual schema')).toHaveLength(1);
  });
});

describe('other rows the app vouches for', () => {
  it("does not use a user's default list a member pointed elsewhere", async () => {
    const ward = valueOf(await store.createList(team, 'Ward', avery.id));
    const other = valueOf(await store.createList(team, 'Other', avery.id));
    valueOf(await store.setDefaultList(team, avery.id, ward.id));
    expect(await store.defaultListId(team, avery.id)).toBe(ward.id);
    const [row] = await member.rows(DEFAULTS);
    await member.update(DEFAULTS, row.id, { ListId: other.id });
    expect(await store.defaultListId(team, avery.id)).toBeNull();
  });

  it('names no one as having discharged a patient when a member rewrote who did', async () => {
    const patient = valueOf(
      await store.createManualPatient(team, { name: 'Ada Lovelace', mrn: 'M-1', birthDate: null, gender: null, room: null, values: {} }, avery.id),
    );
    valueOf(await store.dischargeManualPatient(team, patient.id, { at: new Date().toISOString(), byId: avery.id, byName: avery.name }, 1));
    expect((await store.getDischargedPatients(team))[0].discharged).toMatchObject({ byId: avery.id, byName: avery.name });

    const row = (await member.rows(MANUAL)).find((r) => r.fields.PatientId === patient.id)!;
    await member.update(MANUAL, row.id, { DischargedBy: blake.id, DischargedByName: blake.name });
    expect((await store.getDischargedPatients(team))[0].discharged).toMatchObject({ byId: '', byName: altered, byUnverified: 'altered' });

    // A discharge typed in by hand on an admitted patient: discharged, by no one the app can name.
    const other = valueOf(
      await store.createManualPatient(team, { name: 'Grace Hopper', mrn: 'M-2', birthDate: null, gender: null, room: null, values: {} }, avery.id),
    );
    const otherRow = (await member.rows(MANUAL)).find((r) => r.fields.PatientId === other.id)!;
    await member.update(MANUAL, otherRow.id, { DischargedAt: new Date().toISOString(), DischargedBy: avery.id, DischargedByName: avery.name });
    const discharged = await store.getDischargedPatients(team, [other.id]);
    expect(discharged[0].discharged).toMatchObject({ byId: '', byName: unsealed, byUnverified: 'unsealed' });
  });
});

describe('rows the app writes', () => {
  it('read back as written, after corrections, readmission and re-saves', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', avery, 'Walks with a frame'));
    const corrected = valueOf(await store.reviseNote(team, 'pat-1', note.id, avery.id, 'Walks with a stick', 1));
    expect(await store.listNotes(team, 'pat-1')).toEqual([corrected]);
    expect(corrected).toMatchObject({ authorId: avery.id, authorName: avery.name, version: 2 });
    const withdrawn = valueOf(await store.reviseNote(team, 'pat-1', note.id, avery.id, null, 2));
    expect(await store.listNotes(team, 'pat-1')).toEqual([withdrawn]);

    valueOf(await store.setConnection(team, ehr, 'owner-1'));
    expect(await store.getConnection(team)).toEqual(ehr);
    valueOf(await store.setSchema(team, [], 0));
    expect(await store.getSchema(team)).toEqual({ fields: [], version: 1 });

    const patient = valueOf(
      await store.createManualPatient(team, { name: 'Ada Lovelace', mrn: null, birthDate: null, gender: null, room: null, values: {} }, avery.id),
    );
    const at = new Date().toISOString();
    valueOf(await store.dischargeManualPatient(team, patient.id, { at, byId: avery.id, byName: avery.name }, 1));
    expect((await store.getDischargedPatients(team))[0].discharged).toEqual({ at, byId: avery.id, byName: avery.name });
    valueOf(await store.readmitManualPatient(team, patient.id, {}, 2));
    expect(await store.getDischargedPatients(team)).toEqual([]);
    // The seal is in a hidden column of each list.
    const site = graph.state.siteOfGroup(tenant, team.teamId)!;
    for (const list of site.lists.values())
      if ([NOTES, SETTINGS, MANUAL].includes(list.displayName))
        expect(
          list.columns.some((c) => c.name === 'AppSeal'),
          list.displayName,
        ).toBe(true);
  });

  it('stay verified through a key rotation: the first key seals, every key is accepted', async () => {
    const [oldKey, newKey] = [key(1), key(2)];
    const before = open({ current: () => [oldKey] });
    const old = valueOf(await before.addNote(team, 'pat-1', avery, 'Written under the old key'));
    await before.close();

    const rotating = open({ current: () => [newKey, oldKey] });
    const fresh = valueOf(await rotating.addNote(team, 'pat-1', blake, 'Written under the new key'));
    expect(await rotating.listNotes(team, 'pat-1')).toEqual([old, fresh]);
    await rotating.close();

    // Once the old key is retired, what it alone sealed is no longer vouched for.
    const after = open({ current: () => [newKey] });
    expect((await after.listNotes(team, 'pat-1')).map((n) => n.authorName)).toEqual([altered, blake.name]);
    await after.close();
  });

  it('read keys that arrive later (Key Vault) and read them again when a seal matches none held', async () => {
    let held: string[] = [];
    let reads = 0;
    const vault: SealKeys = { current: () => held, refresh: async () => void (reads++, (held = [key(3)])) };
    const late = open(vault);
    const note = valueOf(await late.addNote(team, 'pat-1', avery, 'Sealed with the vault key'));
    expect(reads).toBe(1);
    expect(await late.listNotes(team, 'pat-1')).toEqual([note]);
    await late.close();

    // Another instance sealed with a newer key this one has not read yet: it reads the vault again.
    const newer = open({ current: () => [key(4), key(3)] });
    const later = valueOf(await newer.addNote(team, 'pat-1', blake, 'Sealed with a newer key'));
    await newer.close();
    let versions = [key(3)];
    const lagging = open({ current: () => versions, refresh: async () => void (versions = [key(4), key(3)]) });
    expect((await lagging.listNotes(team, 'pat-1')).map((n) => n.authorName)).toEqual([avery.name, altered]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await lagging.listNotes(team, 'pat-1')).toEqual([note, later]);
    await lagging.close();
  });

  it('refuses to write without a key, and says why without any key material', async () => {
    const keyless = open({ current: () => [] });
    await expect(keyless.addNote(team, 'pat-1', avery, 'x')).rejects.toThrow(
      /no seal key \(STORE_SEAL_KEYS or the Key Vault secret STORE_SEAL_KEY_NAME\)/,
    );
    await expect(keyless.ready()).rejects.toThrow(/no seal key/);
    await keyless.close();
  });
});
