import { describe, expect, it } from 'vitest';
import type { SchemaField } from '../../../contract/manual';
import type { TeamStore } from '../../../server/storage/ports';
import { valueOf } from '../../../server/features/shared/outcomes';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT } from '../../../contract/notes';
import { MAX_ROSTER_PATIENTS, type ManualPatientData } from '../../../contract/manual';

/**
 * What every team store promises, whatever holds the data. Each store implementation runs this
 * suite against a fresh store from `open`.
 */
export function storeContract(name: string, open: () => Promise<{ store: TeamStore; dispose(): Promise<void> }>) {
  const teamA = { tenantId: '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01', teamId: 'c0ffee00-0000-4000-8000-00000000a001' };
  const teamB = { tenantId: 'b2e4a9f1-5d2c-4b8e-8f31-6a7c9e0d4c02', teamId: 'c0ffee00-0000-4000-8000-00000000a001' };

  const withStore = (test: (store: TeamStore) => Promise<void>) => async () => {
    const { store, dispose } = await open();
    try {
      await test(store);
    } finally {
      await dispose();
    }
  };

  describe(`${name} store contract`, () => {
    const ehr = {
      mode: 'ehr' as const,
      url: 'https://ehr.example.org/r4',
      name: 'EHR',
      fhirVersion: 'R4' as const,
      auth: 'none' as const,
      resources: ['Patient'],
    };

    it(
      'starts empty and keeps the connection',
      withStore(async (store) => {
        expect(await store.getConnection(teamA)).toEqual({ mode: 'unset' });
        await store.setConnection(teamA, ehr, 'u1');
        expect(await store.getConnection(teamA)).toEqual(ehr);
        expect(await store.getConnection(teamB)).toEqual({ mode: 'unset' });
      }),
    );

    it(
      'keeps when the source began (sourceSince), and a connection without it as it was',
      withStore(async (store) => {
        const sourceSince = '2026-03-01T10:15:30.250Z';
        await store.setConnection(teamA, { mode: 'manual', sourceSince }, 'u1');
        expect(await store.getConnection(teamA)).toEqual({ mode: 'manual', sourceSince });
        await store.setConnection(teamA, { ...ehr, sourceSince }, 'u1');
        expect(await store.getConnection(teamA)).toEqual({ ...ehr, sourceSince });
        await store.setConnection(teamA, ehr, 'u1');
        expect(await store.getConnection(teamA)).toStrictEqual(ehr);
      }),
    );

    it(
      'creates lists with counts, adds without duplicates, removes',
      withStore(async (store) => {
        const list = valueOf(await store.createList(teamA, 'Rounds — 查房 — обход', 'u1'));
        await store.addPatients(teamA, list.id, ['p1', 'p2', 'p1'], 'u1');
        await store.addPatients(teamA, list.id, ['p2', 'p3'], 'u2');
        expect(await store.getList(teamA, list.id)).toMatchObject({ name: 'Rounds — 查房 — обход', patientIds: ['p1', 'p2', 'p3'] });
        expect(await store.listLists(teamA)).toEqual([{ id: list.id, name: 'Rounds — 查房 — обход', patientCount: 3 }]);
        expect(await store.removePatient(teamA, list.id, 'p2')).toEqual({ ok: true, value: undefined });
        expect(await store.removePatient(teamA, list.id, 'p2')).toEqual({ ok: false, reason: 'not_on_list' });
        expect(await store.listLists(teamB)).toEqual([]);
        expect(await store.getList(teamB, list.id)).toBeNull();
      }),
    );

    it(
      'loses no patient when two clients add 50 each at once',
      withStore(async (store) => {
        const list = valueOf(await store.createList(teamA, 'Busy', 'u1'));
        const ids = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}`);
        await Promise.all([
          ...ids('a').map((id) => store.addPatients(teamA, list.id, [id], 'u1')),
          ...ids('b').map((id) => store.addPatients(teamA, list.id, [id], 'u2')),
        ]);
        const stored = (await store.getList(teamA, list.id))!.patientIds;
        expect(new Set(stored)).toEqual(new Set([...ids('a'), ...ids('b')]));
        expect(stored).toHaveLength(100);
      }),
    );

    it(
      'keeps a list within MAX_PATIENTS_PER_LIST and a team within MAX_LISTS_PER_TEAM: a change past either is refused whole',
      withStore(async (store) => {
        const full = valueOf(await store.createList(teamA, 'Full', 'u1'));
        const other = valueOf(await store.createList(teamA, 'Other', 'u1'));
        const ids = Array.from({ length: MAX_PATIENTS_PER_LIST }, (_, i) => `p${i}`);
        valueOf(await store.addPatients(teamA, full.id, ids, 'u1'));
        // Patients already on it do not count twice; one more does not fit, and nothing of the call is added.
        expect((await store.addPatients(teamA, full.id, ['p0', 'p1'], 'u1')).ok).toBe(true);
        expect(await store.addPatients(teamA, full.id, ['p0', 'extra'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
        await store.addPatients(teamA, other.id, ['extra'], 'u1');
        expect(await store.movePatient(teamA, other.id, full.id, 'extra', 'u1')).toEqual({ ok: false, reason: 'list_full' });
        expect((await store.getList(teamA, other.id))!.patientIds).toEqual(['extra']);
        expect((await store.getList(teamA, full.id))!.patientIds).toHaveLength(MAX_PATIENTS_PER_LIST);
        // A patient already on the full list moves onto it (off the other list).
        await store.addPatients(teamA, other.id, ['p3'], 'u1');
        expect((await store.movePatient(teamA, other.id, full.id, 'p3', 'u1')).ok).toBe(true);
        for (let n = 2; n < MAX_LISTS_PER_TEAM; n++) valueOf(await store.createList(teamA, `List ${n}`, 'u1'));
        expect(await store.createList(teamA, 'One too many', 'u1')).toEqual({ ok: false, reason: 'too_many_lists' });
        expect(await store.listLists(teamA)).toHaveLength(MAX_LISTS_PER_TEAM);
        expect((await store.createList(teamB, 'Another team', 'u1')).ok).toBe(true);
      }),
    );

    it(
      'reports what each change of a list did: the patients an addition put on it, whether a move put one on, the patients a delete took off',
      withStore(async (store) => {
        const a = valueOf(await store.createList(teamA, 'A', 'u1'));
        const b = valueOf(await store.createList(teamA, 'B', 'u1'));
        expect(valueOf(await store.addPatients(teamA, a.id, ['p1', 'p2', 'p1'], 'u1'))).toMatchObject({
          added: ['p1', 'p2'],
          patientIds: ['p1', 'p2'],
        });
        expect(valueOf(await store.addPatients(teamA, a.id, ['p2', 'p3'], 'u1'))).toMatchObject({ added: ['p3'], patientIds: ['p1', 'p2', 'p3'] });
        // Only patients already on it: nothing added, and the list is not changed.
        const { version } = (await store.getList(teamA, a.id))!;
        expect(valueOf(await store.addPatients(teamA, a.id, ['p3', 'p1'], 'u1'))).toMatchObject({ added: [], version });
        // A move onto a list that already holds the patient adds nothing there; it still leaves the first list.
        valueOf(await store.addPatients(teamA, b.id, ['p2'], 'u1'));
        expect(await store.movePatient(teamA, a.id, b.id, 'p2', 'u1')).toEqual({ ok: true, value: { added: false } });
        expect(await store.movePatient(teamA, a.id, b.id, 'p3', 'u1')).toEqual({ ok: true, value: { added: true } });
        expect((await store.getList(teamA, a.id))!.patientIds).toEqual(['p1']);
        expect((await store.getList(teamA, b.id))!.patientIds).toEqual(['p2', 'p3']);
        expect(await store.deleteList(teamA, b.id)).toEqual({ ok: true, value: { patientIds: ['p2', 'p3'] } });
      }),
    );

    it(
      'adds a patient that six add at once once, and tells exactly one of them it added the patient',
      withStore(async (store) => {
        const list = valueOf(await store.createList(teamA, 'Busy', 'u1'));
        const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => store.addPatients(teamA, list.id, ['p1'], `u${i}`)));
        expect(outcomes.flatMap((o) => valueOf(o).added)).toEqual(['p1']);
        expect((await store.getList(teamA, list.id))!.patientIds).toEqual(['p1']);
      }),
    );

    it(
      'lets one of two renames from the same version win and tells the other',
      withStore(async (store) => {
        const list = valueOf(await store.createList(teamA, 'Rounds', 'u1'));
        const { version } = (await store.getList(teamA, list.id))!;
        const results = await Promise.all([
          store.updateList(teamA, list.id, { name: 'Morning' }, version),
          store.updateList(teamA, list.id, { name: 'Evening' }, version),
        ]);
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict' }]);
        const final = (await store.getList(teamA, list.id))!;
        expect(final.name).toBe(winners[0].ok ? winners[0].value.name : '');
      }),
    );

    it(
      'moves, deletes, keeps default lists and notes',
      withStore(async (store) => {
        const a = valueOf(await store.createList(teamA, 'A', 'u1'));
        const b = valueOf(await store.createList(teamA, 'B', 'u1'));
        await store.addPatients(teamA, a.id, ['p1'], 'u1');
        expect(await store.movePatient(teamA, a.id, b.id, 'p1', 'u1')).toEqual({ ok: true, value: { added: true } });
        expect((await store.getList(teamA, b.id))!.patientIds).toEqual(['p1']);
        expect(await store.setDefaultList(teamA, 'u1', b.id)).toEqual({ ok: true, value: undefined });
        expect(await store.defaultListId(teamA, 'u1')).toBe(b.id);
        expect(await store.deleteList(teamA, b.id)).toEqual({ ok: true, value: { patientIds: ['p1'] } });
        expect(await store.defaultListId(teamA, 'u1')).toBeNull();
        await store.addNote(teamA, 'p1', { id: 'u1', name: 'Avery' }, 'first');
        await store.addNote(teamA, 'p1', { id: 'u2', name: 'Blake' }, 'second');
        expect((await store.listNotes(teamA, 'p1')).map((n) => n.text)).toEqual(['first', 'second']);
        expect(await store.listNotes(teamB, 'p1')).toEqual([]);
      }),
    );

    it(
      'reports each change that did not happen as an outcome with its reason',
      withStore(async (store) => {
        const a = valueOf(await store.createList(teamA, 'A', 'u1'));
        const b = valueOf(await store.createList(teamA, 'B', 'u1'));
        const gone = '0b7e2a54-4c1d-4f7e-9d0a-3c2b1a0f9e8d';
        expect(await store.addPatients(teamB, a.id, ['p1'], 'u1')).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.removePatient(teamA, a.id, 'p1')).toEqual({ ok: false, reason: 'not_on_list' });
        expect(await store.removePatient(teamA, gone, 'p1')).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.movePatient(teamA, a.id, b.id, 'p1', 'u1')).toEqual({ ok: false, reason: 'not_on_list' });
        expect(await store.movePatient(teamA, a.id, gone, 'p1', 'u1')).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.updateList(teamB, a.id, { name: 'X' })).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.setDefaultList(teamA, 'u1', gone)).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.deleteList(teamB, a.id)).toEqual({ ok: false, reason: 'no_list' });
        expect(await store.updateManualPatient(teamA, gone, { name: 'X', mrn: null, birthDate: null, gender: null, room: null, values: {} })).toEqual(
          {
            ok: false,
            reason: 'not_found',
          },
        );
        expect((await store.getList(teamA, a.id))!.version).toBe(1);
      }),
    );

    it(
      'lets the author correct and withdraw a note against the version read, keeping the earlier texts',
      withStore(async (store) => {
        const note = valueOf(await store.addNote(teamA, 'p1', { id: 'u1', name: 'Avery' }, 'BP 150/90'));
        expect(note).toMatchObject({ version: 1, editedAt: null, withdrawnAt: null, revisions: [] });
        const other = '0b7e2a54-4c1d-4f7e-9d0a-3c2b1a0f9e8d';
        // Refusals change nothing.
        expect(await store.reviseNote(teamA, 'p1', note.id, 'u2', 'hijacked', 1)).toEqual({ ok: false, reason: 'not_author' });
        expect(await store.reviseNote(teamA, 'p2', note.id, 'u1', 'wrong patient', 1)).toEqual({ ok: false, reason: 'no_note' });
        expect(await store.reviseNote(teamB, 'p1', note.id, 'u1', 'other tenant', 1)).toEqual({ ok: false, reason: 'no_note' });
        expect(await store.reviseNote(teamA, 'p1', other, 'u1', 'no such note', 1)).toEqual({ ok: false, reason: 'no_note' });
        expect(await store.reviseNote(teamA, 'p1', note.id, 'u1', 'from the future', 2)).toEqual({ ok: false, reason: 'conflict' });
        expect(await store.listNotes(teamA, 'p1')).toEqual([note]);

        const corrected = await store.reviseNote(teamA, 'p1', note.id, 'u1', 'BP 105/90', 1);
        expect(corrected).toMatchObject({ ok: true, value: { id: note.id, text: 'BP 105/90', version: 2, withdrawnAt: null } });
        const edited = corrected.ok ? corrected.value : note;
        expect(edited.editedAt).not.toBeNull();
        expect(edited.revisions).toEqual([{ text: 'BP 150/90', writtenAt: note.createdAt }]);
        // A second writer who read version 1 does not overwrite the correction.
        expect(await store.reviseNote(teamA, 'p1', note.id, 'u1', 'stale edit', 1)).toEqual({ ok: false, reason: 'conflict' });
        expect(await store.listNotes(teamA, 'p1')).toEqual([edited]);
        expect((await store.latestNotes(teamA, ['p1'])).get('p1')?.text).toBe('BP 105/90');

        const withdrawn = await store.reviseNote(teamA, 'p1', note.id, 'u1', null, 2);
        expect(withdrawn).toMatchObject({ ok: true, value: { text: '', version: 3, editedAt: edited.editedAt } });
        const gone = withdrawn.ok ? withdrawn.value : note;
        expect(gone.withdrawnAt).not.toBeNull();
        expect(gone.revisions).toEqual([
          { text: 'BP 150/90', writtenAt: note.createdAt },
          { text: 'BP 105/90', writtenAt: edited.editedAt },
        ]);
        expect(await store.listNotes(teamA, 'p1')).toEqual([gone]);
        // A withdrawn note is no one's latest, and is final.
        expect(await store.latestNotes(teamA, ['p1'])).toEqual(new Map());
        expect(await store.reviseNote(teamA, 'p1', note.id, 'u1', 'back again', 3)).toEqual({ ok: false, reason: 'no_note' });
      }),
    );

    it(
      'keeps a note within MAX_NOTE_CORRECTIONS corrections and a patient within MAX_NOTES_PER_PATIENT notes: a change past either is refused, dropping nothing',
      withStore(async (store) => {
        let note = valueOf(await store.addNote(teamA, 'p1', { id: 'u1', name: 'Avery' }, 'text 0'));
        for (let n = 1; n <= MAX_NOTE_CORRECTIONS; n++) note = valueOf(await store.reviseNote(teamA, 'p1', note.id, 'u1', `text ${n}`, note.version));
        expect(note.revisions.map((r) => r.text)).toEqual(Array.from({ length: MAX_NOTE_CORRECTIONS }, (_, n) => `text ${n}`));
        // One correction more is refused, and the note stays as it was: every earlier text with it.
        expect(await store.reviseNote(teamA, 'p1', note.id, 'u1', 'one too many', note.version)).toEqual({
          ok: false,
          reason: 'note_revisions_full',
        });
        expect(await store.listNotes(teamA, 'p1')).toEqual([note]);
        // A list's cell gets the text, not the earlier texts.
        const cell = (await store.latestNotes(teamA, ['p1'])).get('p1');
        expect(cell).toMatchObject({ id: note.id, text: `text ${MAX_NOTE_CORRECTIONS}`, version: note.version, revisions: [] });
        // The author can still withdraw it, keeping the text it had too.
        const withdrawn = valueOf(await store.reviseNote(teamA, 'p1', note.id, 'u1', null, note.version));
        expect(withdrawn.revisions).toHaveLength(MAX_NOTE_CORRECTIONS + 1);
        expect(withdrawn.revisions.at(-1)).toMatchObject({ text: `text ${MAX_NOTE_CORRECTIONS}` });

        // The withdrawn note counts: it stays readable.
        for (let n = 1; n < MAX_NOTES_PER_PATIENT; n++) valueOf(await store.addNote(teamA, 'p1', { id: 'u2', name: 'Blake' }, `note ${n}`));
        expect(await store.addNote(teamA, 'p1', { id: 'u1', name: 'Avery' }, 'one too many')).toEqual({ ok: false, reason: 'too_many_notes' });
        const kept = await store.listNotes(teamA, 'p1');
        expect(kept).toHaveLength(MAX_NOTES_PER_PATIENT);
        expect(kept.map((n) => n.text)).not.toContain('one too many');
        // Another patient, and the same patient in another team, are not affected.
        expect((await store.addNote(teamA, 'p2', { id: 'u1', name: 'Avery' }, 'fine')).ok).toBe(true);
        expect((await store.addNote(teamB, 'p1', { id: 'u1', name: 'Avery' }, 'fine')).ok).toBe(true);
      }),
    );

    it(
      'keeps a Manual-mode roster within MAX_ROSTER_PATIENTS admitted at once: an addition or import past it is refused whole, discharged patients not counted',
      withStore(async (store) => {
        const data = (name: string): ManualPatientData => ({ name, mrn: null, birthDate: null, gender: null, room: null, values: {} });
        const many = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => data(`${prefix} ${i}`));
        const [first] = valueOf(await store.createManualPatients(teamA, many(MAX_ROSTER_PATIENTS - 1, 'Imported'), 'u1'));
        const discharged = valueOf(
          await store.dischargeManualPatient(teamA, first.id, { at: new Date().toISOString(), byId: 'u1', byName: 'Avery' }, 1),
        );
        const admitted = async () => (await store.getManualPatients(teamA)).length;
        // The discharged patient does not count: two places left, and an import of three writes none of them.
        expect(await store.createManualPatients(teamA, many(3, 'Over'), 'u1')).toEqual({ ok: false, reason: 'roster_full' });
        expect(await admitted()).toBe(MAX_ROSTER_PATIENTS - 2);
        expect(valueOf(await store.createManualPatients(teamA, many(1, 'Fits'), 'u1'))).toHaveLength(1);
        expect((await store.createManualPatient(teamA, data('Last'), 'u1')).ok).toBe(true);
        expect(await store.createManualPatient(teamA, data('One too many'), 'u1')).toEqual({ ok: false, reason: 'roster_full' });
        expect(await store.createManualPatients(teamA, many(1, 'Over'), 'u1')).toEqual({ ok: false, reason: 'roster_full' });
        expect(await admitted()).toBe(MAX_ROSTER_PATIENTS);
        expect(await store.getDischargedPatients(teamA)).toHaveLength(1);
        // The team's own discharged patient is never refused re-admission on rounds.
        const readmitted = await store.readmitManualPatient(teamA, first.id, {}, discharged.patient.version);
        expect(readmitted.ok).toBe(true);
        expect(await admitted()).toBe(MAX_ROSTER_PATIENTS + 1);
        expect((await store.createManualPatient(teamB, data('Another team'), 'u1')).ok).toBe(true);
      }),
    );

    it(
      "gives the newest note of each patient of a long list, and only the team's own",
      withStore(async (store) => {
        const ids = Array.from({ length: 45 }, (_, i) => `p-${i}`);
        for (const id of ['p-0', 'p-21', 'p-44']) await store.addNote(teamA, id, { id: 'u1', name: 'Avery' }, `first on ${id}`);
        await store.addNote(teamA, 'p-21', { id: 'u2', name: "Blake O'Neil" }, 'second on p-21');
        await store.addNote(teamA, 'not-asked', { id: 'u1', name: 'Avery' }, 'elsewhere');
        await store.addNote(teamB, 'p-0', { id: 'u9', name: 'Other team' }, 'not ours');
        const latest = await store.latestNotes(teamA, ids);
        expect(Object.fromEntries([...latest].map(([id, note]) => [id, [note.patientId, note.text, note.authorName]]))).toEqual({
          'p-0': ['p-0', 'first on p-0', 'Avery'],
          'p-21': ['p-21', 'second on p-21', "Blake O'Neil"],
          'p-44': ['p-44', 'first on p-44', 'Avery'],
        });
        expect(await store.latestNotes(teamA, [])).toEqual(new Map());
        expect(await store.latestNotes(teamB, ["it's"])).toEqual(new Map());
      }),
    );

    it(
      'keeps a Manual-mode schema and patients with versions, per team',
      withStore(async (store) => {
        expect(await store.getSchema(teamA)).toBeNull();
        const fields = [{ id: 'acuity', label: 'Acuity', type: 'choice' as const, choices: ['Low', 'High'] }];
        const first = await store.setSchema(teamA, fields);
        expect(first).toMatchObject({ ok: true, value: { fields, version: 1 } });
        expect(await store.setSchema(teamA, [], 0)).toEqual({ ok: false, reason: 'conflict' });
        const patient = valueOf(
          await store.createManualPatient(
            teamA,
            { name: 'Ada', mrn: 'M-1', birthDate: null, gender: 'female', room: '4', values: { acuity: 'High' } },
            'u1',
          ),
        );
        expect(patient).toMatchObject({ id: expect.any(String), name: 'Ada', version: 1 });
        const edited = await store.updateManualPatient(teamA, patient.id, { ...patient, room: '5', values: { acuity: 'Low' } }, 1);
        expect(edited).toMatchObject({ ok: true, value: { room: '5', values: { acuity: 'Low' }, version: 2 } });
        expect(await store.updateManualPatient(teamA, patient.id, { ...patient, room: '6' }, 1)).toEqual({ ok: false, reason: 'conflict' });
        expect((await store.getManualPatients(teamA, [patient.id])).map((p) => p.room)).toEqual(['5']);
        expect(await store.getManualPatients(teamB)).toEqual([]);
        expect(await store.getSchema(teamB)).toBeNull();
      }),
    );

    it(
      'keeps every field type with its unit, range and colours, and values of every type, as they were written',
      withStore(async (store) => {
        const fields: SchemaField[] = [
          { id: 'history', label: 'History', type: 'longText' },
          { id: 'weight', label: 'Weight', type: 'number', unit: 'kg', min: 0.5, max: 400, required: true },
          { id: 'lastSeen', label: 'Last seen', type: 'dateTime' },
          {
            id: 'status',
            label: 'Status',
            type: 'choice',
            choices: ['Stable', '__proto__'],
            colours: JSON.parse('{"__proto__":"red","Stable":"green"}'),
          },
          { id: 'isolation', label: 'Isolation', type: 'yesNo' },
          { id: 'nurse', label: 'Assigned nurse', type: 'person' },
        ];
        expect(await store.setSchema(teamA, fields, 0)).toMatchObject({ ok: true });
        const read = await store.getSchema(teamA);
        expect(read).toEqual({ fields, version: 1 });
        expect(Object.hasOwn(read!.fields[3]!.colours!, '__proto__')).toBe(true);
        const values = {
          history: 'Line one\nLine two',
          weight: 72.5,
          lastSeen: '2026-11-23T14:30+01:00',
          status: '__proto__',
          isolation: false,
          nurse: { id: '0a1b2c3d-0000-4000-8000-000000000002', name: 'Blake Okafor' },
        };
        const patient = valueOf(
          await store.createManualPatient(teamA, { name: 'Ada', mrn: null, birthDate: null, gender: null, room: null, values }, 'u1'),
        );
        expect((await store.getManualPatients(teamA, [patient.id]))[0]!.values).toEqual(values);
      }),
    );
  });
}
