import { describe, expect, it } from 'vitest';
import { countingEhr } from '../../helpers/counting-ehr';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { buildListView } from '../../../server/features/lists/list-view';
import { valueOf } from '../../../server/features/shared/outcomes';
import { useGraphStore } from '../../helpers/graph-store-hook';

// Any member of the team's Microsoft 365 group can add rows to a patient list's SharePoint list
// directly, past the app and its limit of MAX_PATIENTS_PER_LIST. A read gives the first patients
// added, up to the limit, and says how many more the rows name: a list load never asks the EHR
// for more than the limit, however many rows were added outside the app.

const tenant = '4c1e2d3f-5a6b-4c7d-8e9f-0a1b2c3d4e55';
const team = { tenantId: tenant, teamId: 'bb22cc33-dd44-4e55-8f66-007788990011' };
const ehr = {
  mode: 'ehr' as const,
  url: 'https://fhir.hospital.example.org/r4',
  name: 'Hospital EHR',
  fhirVersion: 'R4' as const,
  auth: 'none' as const,
  resources: ['Patient'],
};
const OUTSIDE = MAX_PATIENTS_PER_LIST + 10;

const { graph, store } = useGraphStore(team, 'Ward 7');

/** A list of two patients added through the store, then OUTSIDE more rows written straight into its SharePoint list (one named twice). */
async function overfullList() {
  await store.setConnection(team, ehr, 'u1');
  const list = valueOf(await store.createList(team, 'Ward', 'u1'));
  await store.addPatients(team, list.id, ['a0', 'a1'], 'u1');
  const rows = graph.state.siteOfGroup(tenant, team.teamId)!.lists.get(list.id)!;
  const outside = Array.from({ length: OUTSIDE }, (_, i) => `x${i}`);
  for (const id of [...outside, 'x3']) {
    graph.state.addItem(rows, { Title: id, PatientId: id, AddedBy: 'member-with-sharepoint', AddedAt: new Date().toISOString() });
  }
  const all = ['a0', 'a1', ...outside];
  return { id: list.id, all, beyond: all.length - MAX_PATIENTS_PER_LIST, rows };
}

describe('a patient list given rows in SharePoint past its limit', () => {
  it('reads the first patients added, up to the limit, and how many more its rows name; counts every patient it names', async () => {
    const { id, all, beyond } = await overfullList();
    const list = (await store.getList(team, id))!;
    expect(list.patientIds).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(list.beyondLimit).toBe(beyond);
    expect(await store.listLists(team)).toEqual([{ id, name: 'Ward', patientCount: all.length }]);
  });

  it('asks the EHR for the patients within the limit only, and says in the view how many more there are', async () => {
    const { id, all, beyond } = await overfullList();
    const asked: string[][] = [];
    const view = await buildListView(store, countingEhr(asked), team, (await store.getList(team, id))!);
    expect(asked.flat()).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(view.rows.map((r) => r.patientId)).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(view.beyondLimit).toBe(beyond);
  });

  it('refuses to add to it or move onto it, and still removes, and deletes, the patients past the limit', async () => {
    const { id, all, beyond, rows } = await overfullList();
    expect(await store.addPatients(team, id, ['new'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
    const other = valueOf(await store.createList(team, 'Other', 'u1'));
    await store.addPatients(team, other.id, ['mover'], 'u1');
    expect(await store.movePatient(team, other.id, id, 'mover', 'u1')).toEqual({ ok: false, reason: 'list_full' });

    const last = all[all.length - 1];
    expect(await store.removePatient(team, id, last)).toEqual({ ok: true, value: undefined });
    expect((await store.getList(team, id))!.beyondLimit).toBe(beyond - 1);
    // Both rows of a patient named twice go; taking one of those shown off shows the next one added.
    expect(await store.removePatient(team, id, 'x3')).toEqual({ ok: true, value: undefined });
    expect([...rows.items.values()].filter((item) => item.fields.PatientId === 'x3')).toEqual([]);
    const after = (await store.getList(team, id))!;
    expect(after.patientIds.at(-1)).toBe(all[MAX_PATIENTS_PER_LIST]);
    expect(after.beyondLimit).toBe(beyond - 2);

    const deleted = valueOf(await store.deleteList(team, id));
    expect(deleted.patientIds).toEqual(all.filter((p) => p !== 'x3' && p !== last));
  });
});
