import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../../../client/shared/i18n/catalogs';
import { readListView } from '../../../client/features/lists/api/read-list-answers';
import { ListLimitNotice } from '../../../client/features/lists/ListLimitNotice';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { MAX_ROSTER_PATIENTS } from '../../../contract/manual';
import { MAX_NOTES_PER_PATIENT } from '../../../contract/notes';
import { buildListView } from '../../../server/features/lists/list-view';
import { valueOf } from '../../../server/features/shared/outcomes';
import { readBounds } from '../../../server/storage/sharepoint/read-bounds';
import { countingEhr } from '../../helpers/counting-ehr';
import type { EmulatedList } from '../../helpers/graph-emulator/model';
import { useGraphStore } from '../../helpers/graph-store-hook';

// A member of the team's Microsoft 365 group can add rows to the team site's lists in SharePoint,
// past the app, without end. However many they add, a load of the app reads a bounded number of
// them (readBounds): a patient list shows its first patients and says, truthfully, that rows were
// left unread; a change that counts before it writes refuses as full; a read whose answer depends
// on the rows unread fails rather than answering from part of them.

const tenant = '5d2e3f40-6b7c-4d8e-9fa0-1b2c3d4e5f66';
const team = { tenantId: tenant, teamId: 'cc33dd44-ee55-4f66-8a77-112233445566' };
const ehr = {
  mode: 'ehr' as const,
  url: 'https://fhir.hospital.example.org/r4',
  name: 'Hospital EHR',
  fhirVersion: 'R4' as const,
  auth: 'none' as const,
  resources: ['Patient'],
};
/** Rows a member adds: four times what a read takes. */
const FLOOD = 4 * readBounds.patientRows;

// SharePoint's own page size: a bounded read of a patient list is then one request.
const { graph, store } = useGraphStore(team, 'Ward 9', { pageSize: 5000 });

const site = () => graph.state.siteOfGroup(tenant, team.teamId)!;
const listNamed = (name: string): EmulatedList => [...site().lists.values()].find((l) => l.displayName === name)!;

/** Rows written straight into a SharePoint list, as a member's would be (in bulk: an HTTP request each would only be slower). */
function memberAdds(list: EmulatedList, count: number, fields: (i: number) => Record<string, unknown>) {
  for (let i = 0; i < count; i++) graph.state.addItem(list, fields(i));
}

const memberRow = (patientId: string) => ({
  Title: patientId,
  PatientId: patientId,
  AddedBy: 'member-with-sharepoint',
  AddedAt: new Date().toISOString(),
});

/** A list of two patients added in the app, then FLOOD rows added by a member; `patientOf` names each row's patient. */
async function floodedList(patientOf: (i: number) => string) {
  await store.setConnection(team, ehr, 'u1');
  const list = valueOf(await store.createList(team, 'Ward', 'u1'));
  await store.addPatients(team, list.id, ['a0', 'a1'], 'u1');
  memberAdds(site().lists.get(list.id)!, FLOOD, (i) => memberRow(patientOf(i)));
  return list.id;
}

/** The item pages of a SharePoint list the emulator answered since `from`, and the rows they held. */
function itemReads(listId: string, from: number) {
  const reads = graph.requests.slice(from).filter((r) => r.method === 'GET' && r.path.includes(`/lists/${listId}/items`));
  return { requests: reads.length, rows: reads.reduce((sum, r) => sum + (r.served ?? 0), 0) };
}

/** The notice above a list as the tab renders it (its text only), from the list's answer as the tab reads it. */
function noticeOf(answer: unknown): string {
  const list = readListView(JSON.parse(JSON.stringify(answer)));
  return renderToStaticMarkup(createElement(FluentProvider, { theme: webLightTheme }, createElement(ListLimitNotice, { list })))
    .replace(/<style[^>]*>[^<]*<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('a patient list given far more rows in SharePoint than a read takes', () => {
  it('is loaded with one bounded page of its rows, however many there are', async () => {
    const id = await floodedList((i) => `x${i}`);
    const from = graph.requests.length;
    await store.getList(team, id);
    expect(itemReads(id, from)).toEqual({ requests: 1, rows: readBounds.patientRows });
  });

  it('shows its first patients, and says that at least the patients read past the limit, and maybe more, are not shown', async () => {
    const id = await floodedList((i) => `x${i}`);
    const all = ['a0', 'a1', ...Array.from({ length: FLOOD }, (_, i) => `x${i}`)];
    const list = (await store.getList(team, id))!;
    expect(list.patientIds).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    const seenBeyond = readBounds.patientRows - MAX_PATIENTS_PER_LIST;
    expect(list).toMatchObject({ beyondLimit: seenBeyond, rowsUnread: true });

    const asked: string[][] = [];
    const view = await buildListView(store, countingEhr(asked), team, list);
    expect(asked.flat()).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(view.rows.map((r) => r.patientId)).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(view).toMatchObject({ beyondLimit: seenBeyond, rowsUnread: true });
    expect(noticeOf(view)).toBe(
      'This list has more rows than the app reads Rows were added to this list outside the app (in SharePoint), more than the app reads: ' +
        `it shows its first ${MAX_PATIENTS_PER_LIST} patients, and at least ${seenBeyond.toLocaleString('en')} more are not shown. ` +
        'A SharePoint site owner can remove the rows added outside the app.',
    );
    // The team's lists count the patients read, and say the count is a least number.
    expect(await store.listLists(team)).toEqual([{ id, name: 'Ward', patientCount: readBounds.patientRows, rowsUnread: true }]);
  });

  it('refuses to take another patient, by addition or by a move onto it', async () => {
    const id = await floodedList((i) => `x${i}`);
    expect(await store.addPatients(team, id, ['new'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
    const other = valueOf(await store.createList(team, 'Other', 'u1'));
    await store.addPatients(team, other.id, ['mover'], 'u1');
    expect(await store.movePatient(team, other.id, id, 'mover', 'u1')).toEqual({ ok: false, reason: 'list_full' });
    expect([...site().lists.get(id)!.items.values()].some((item) => ['new', 'mover'].includes(item.fields.PatientId as string))).toBe(false);
  });

  it('holding one patient a great many times, shows its patients and says it may not show them all; it takes no more', async () => {
    const id = await floodedList(() => 'twice');
    const list = (await store.getList(team, id))!;
    expect(list.patientIds).toEqual(['a0', 'a1', 'twice']);
    expect(list).not.toHaveProperty('beyondLimit');
    expect(list).toMatchObject({ rowsUnread: true });
    const view = await buildListView(store, countingEhr([]), team, list);
    expect(noticeOf(view)).toBe(
      'This list has more rows than the app reads Rows were added to this list outside the app (in SharePoint), more than the app reads, ' +
        `so it may not show every patient on it: it shows its first ${MAX_PATIENTS_PER_LIST} at most. A SharePoint site owner can remove the rows added outside the app.`,
    );
    expect(await store.addPatients(team, id, ['new'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
    // Taking them off would delete a few of their rows and leave them on the list: it fails, deleting none.
    const rows = site().lists.get(id)!;
    const before = rows.items.size;
    await expect(store.removePatient(team, id, 'twice')).rejects.toMatchObject({ code: 'graph_failed' });
    expect(rows.items.size).toBe(before);
  });
});

describe('a patient list filled to the bound with rows that name no patient', () => {
  // Rows without a PatientId take places of the bound as any row does: a row the app writes past
  // them would not be read back (so neither audited as added nor cleaned up as a duplicate).
  it('refuses an addition or a move whose rows would fall past the rows a read takes, and writes none', async () => {
    await store.setConnection(team, ehr, 'u1');
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    await store.addPatients(team, list.id, ['a0'], 'u1');
    memberAdds(site().lists.get(list.id)!, readBounds.patientRows - 3, () => ({ Title: 'x' }));
    expect(await store.addPatients(team, list.id, ['b1', 'b2', 'b3', 'b4', 'b5'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
    const other = valueOf(await store.createList(team, 'Other', 'u1'));
    await store.addPatients(team, other.id, ['mover'], 'u1');
    memberAdds(site().lists.get(list.id)!, 2, () => ({ Title: 'x' }));
    expect(await store.movePatient(team, other.id, list.id, 'mover', 'u1')).toEqual({ ok: false, reason: 'list_full' });
    const written = [...site().lists.get(list.id)!.items.values()].map((item) => item.fields.PatientId).filter(Boolean);
    expect(written).toEqual(['a0']);
    expect((await store.getList(team, list.id))!.patientIds).toEqual(['a0']);
  });
});

describe("the team's own lists given far more rows in SharePoint than a read takes", () => {
  it('a catalog of lists: no list is created, and the lists are not shown from part of it', async () => {
    await store.createList(team, 'Ward', 'u1');
    memberAdds(listNamed('Patients app – lists'), readBounds.catalog, (i) => ({ Title: `Fake ${i}`, ListId: crypto.randomUUID(), Version: 1 }));
    expect(readBounds.catalog).toBeGreaterThanOrEqual(MAX_LISTS_PER_TEAM);
    const from = graph.requests.length;
    expect(await store.createList(team, 'Another', 'u1')).toEqual({ ok: false, reason: 'too_many_lists' });
    await expect(store.listLists(team)).rejects.toMatchObject({ code: 'graph_failed' });
    const catalogId = listNamed('Patients app – lists').id;
    expect(itemReads(catalogId, from).rows).toBeLessThanOrEqual(2 * readBounds.catalog);
  });

  it("the settings: the team's connection, its first row, is still read; the settings are not read as unset from part of them", async () => {
    await store.setConnection(team, ehr, 'owner');
    memberAdds(listNamed('Patients app – settings'), 10 * readBounds.settings, (i) => ({ Title: `Noise ${i}`, Value: '{}' }));
    expect(await store.getConnection(team)).toMatchObject({ mode: 'ehr', url: ehr.url });

    // A team whose settings were flooded before it was connected: whether it is cannot be told.
    const other = { tenantId: tenant, teamId: 'dd44ee55-ff66-4a77-8b88-223344556677' };
    graph.addGroup(tenant, other.teamId, 'Ward 10');
    await store.setSchema(other, [], undefined);
    const settings = [...graph.state.siteOfGroup(tenant, other.teamId)!.lists.values()].find((l) => l.displayName === 'Patients app – settings')!;
    memberAdds(settings, 10 * readBounds.settings, (i) => ({ Title: `Noise ${i}`, Value: '{}' }));
    await expect(store.getConnection(other)).rejects.toMatchObject({ code: 'graph_failed' });
  });

  it("a patient's notes: no note is added past the limit, and the notes are not shown from part of them", async () => {
    await store.setConnection(team, ehr, 'u1');
    valueOf(await store.addNote(team, 'p1', { id: 'u1', name: 'Dr One' }, 'Seen on rounds.'));
    memberAdds(listNamed('Patients app – notes'), 5 * readBounds.notesOfPatient, (i) => ({
      Title: 'p1',
      PatientId: 'p1',
      NoteId: `n${i}`,
      NoteText: 'noise',
    }));
    expect(readBounds.notesOfPatient).toBeGreaterThanOrEqual(MAX_NOTES_PER_PATIENT);
    expect(await store.addNote(team, 'p1', { id: 'u1', name: 'Dr One' }, 'Another.')).toEqual({ ok: false, reason: 'too_many_notes' });
    await expect(store.listNotes(team, 'p1')).rejects.toMatchObject({ code: 'graph_failed' });
    await expect(store.latestNotes(team, ['p1'])).rejects.toMatchObject({ code: 'graph_failed' });
  });

  it('a Manual roster: no patient is added or imported, and the roster is not shown from part of it', async () => {
    await store.setConnection(team, { mode: 'manual' }, 'u1');
    const patient = { name: 'Ada', mrn: null, birthDate: null, gender: null, room: null, values: {} };
    valueOf(await store.createManualPatient(team, patient, 'u1'));
    memberAdds(listNamed('Patients app – manual patients'), readBounds.roster + 10, (i) => ({
      Title: `Noise ${i}`,
      PatientId: `m${i}`,
      DischargedAt: '2026-01-01T00:00:00Z',
    }));
    expect(readBounds.roster).toBeGreaterThanOrEqual(MAX_ROSTER_PATIENTS);
    expect(await store.createManualPatient(team, patient, 'u1')).toEqual({ ok: false, reason: 'roster_full' });
    expect(await store.createManualPatients(team, [patient], 'u1')).toEqual({ ok: false, reason: 'roster_full' });
    await expect(store.getManualPatients(team)).rejects.toMatchObject({ code: 'graph_failed' });
    await expect(store.getDischargedPatients(team)).rejects.toMatchObject({ code: 'graph_failed' });
  });
});
