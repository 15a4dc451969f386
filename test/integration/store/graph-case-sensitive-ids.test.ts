import { describe, expect, it } from 'vitest';
import { valueOf } from '../../../server/features/shared/outcomes';
import type { EmulatedList } from '../../helpers/graph-emulator/model';
import { useGraphStore } from '../../helpers/graph-store-hook';

/**
 * SharePoint's `$filter` `eq` ignores case, but FHIR ids do not ("abc" and "ABC" are two patients,
 * [A-Za-z0-9\-.]{1,64}): wherever the Graph store looks rows up by a patient id (or any other
 * case-sensitive key), the rows of another key that differs only in case are never read,
 * changed, counted or deleted as its own.
 */
const tenant = '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11';
const team = { tenantId: tenant, teamId: 'aa11bb22-cc33-4d44-8e55-ff6677889900' };

const { graph, store } = useGraphStore(team, 'Ward 7', { pageSize: 50 });

const listNamed = (displayName: string): EmulatedList => {
  const list = [...graph.state.siteOfGroup(tenant, team.teamId)!.lists.values()].find((l) => l.displayName === displayName);
  if (!list) throw new Error(`no list ${displayName}`);
  return list;
};

describe('the Graph emulator', () => {
  it("compares text in a $filter ignoring case, as SharePoint does, so that the store's own exact check is tested", async () => {
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    await store.addPatients(team, list.id, ['abc', 'ABC', 'xyz'], 'u1');
    const site = graph.state.siteOfGroup(tenant, team.teamId)!;
    const res = await fetch(
      `${graph.url}/v1.0/sites/${site.id}/lists/${list.id}/items?expand=fields&$filter=${encodeURIComponent("fields/PatientId eq 'aBc'")}`,
      {
        headers: { authorization: `Bearer ${graph.tokenFor(tenant)}` },
      },
    );
    const found = ((await res.json()) as { value: { fields: { PatientId: string } }[] }).value.map((i) => i.fields.PatientId);
    expect(found.sort()).toEqual(['ABC', 'abc']);
  });
});

describe('patients whose ids differ only in case', () => {
  it('removes and moves only the patient named, never the other', async () => {
    const rounds = valueOf(await store.createList(team, 'Rounds', 'u1'));
    const night = valueOf(await store.createList(team, 'Night', 'u1'));
    await store.addPatients(team, rounds.id, ['abc', 'ABC'], 'u1');

    expect(await store.removePatient(team, rounds.id, 'Abc')).toEqual({ ok: false, reason: 'not_on_list' });
    expect(await store.removePatient(team, rounds.id, 'abc')).toEqual({ ok: true, value: undefined });
    expect((await store.getList(team, rounds.id))!.patientIds).toEqual(['ABC']);

    await store.addPatients(team, rounds.id, ['abc'], 'u1');
    expect(await store.movePatient(team, rounds.id, night.id, 'abc', 'u1')).toEqual({ ok: true, value: { added: true } });
    expect((await store.getList(team, rounds.id))!.patientIds).toEqual(['ABC']);
    expect((await store.getList(team, night.id))!.patientIds).toEqual(['abc']);
    // 'ABC' is not on Night: the move adds them, though 'abc' is.
    expect(await store.movePatient(team, rounds.id, night.id, 'ABC', 'u1')).toEqual({ ok: true, value: { added: true } });
    expect((await store.getList(team, night.id))!.patientIds.sort()).toEqual(['ABC', 'abc']);
    expect([...listNamed('Patients – Night').items.values()].map((i) => i.fields.PatientId).sort()).toEqual(['ABC', 'abc']);
  });

  it("reads, counts and corrects only the patient's own notes", async () => {
    const theirs = valueOf(await store.addNote(team, 'ABC', { id: 'u1', name: 'Dr One' }, 'Note on ABC'));
    const ours = valueOf(await store.addNote(team, 'abc', { id: 'u1', name: 'Dr One' }, 'Note on abc'));

    expect((await store.listNotes(team, 'abc')).map((n) => n.text)).toEqual(['Note on abc']);
    expect((await store.listNotes(team, 'aBC')).map((n) => n.text)).toEqual([]);
    const latest = await store.latestNotes(team, ['abc']);
    expect([...latest.keys()]).toEqual(['abc']);
    expect(latest.get('abc')?.id).toBe(ours.id);
    // The note of 'ABC' is no note of 'abc': it cannot be corrected or withdrawn as one.
    expect(await store.reviseNote(team, 'abc', theirs.id, 'u1', 'Changed', 1)).toEqual({ ok: false, reason: 'no_note' });
    expect(valueOf(await store.reviseNote(team, 'abc', ours.id, 'u1', 'Corrected', 1)).text).toBe('Corrected');
    expect((await store.listNotes(team, 'ABC')).map((n) => n.text)).toEqual(['Note on ABC']);
  });

  it("keeps each user's default list apart from a user id that differs only in case", async () => {
    const a = valueOf(await store.createList(team, 'A', 'U1'));
    const b = valueOf(await store.createList(team, 'B', 'u1'));
    valueOf(await store.setDefaultList(team, 'U1', a.id));
    valueOf(await store.setDefaultList(team, 'u1', b.id));
    expect(await store.defaultListId(team, 'U1')).toBe(a.id);
    expect(await store.defaultListId(team, 'u1')).toBe(b.id);
  });

  it('never changes or discharges a Manual-mode patient by an id that differs from theirs only in case', async () => {
    const data = { name: 'Ada', mrn: null, birthDate: null, gender: null, room: null, values: {} };
    const ada = valueOf(await store.createManualPatient(team, data, 'u1'));
    const other = ada.id.toUpperCase();
    expect(await store.updateManualPatient(team, other, { ...data, name: 'Changed' }, 1)).toEqual({ ok: false, reason: 'not_found' });
    const discharge = { at: new Date().toISOString(), byId: 'u1', byName: 'Dr One' };
    expect(await store.dischargeManualPatient(team, other, discharge, 1)).toEqual({ ok: false, reason: 'not_found' });
    expect(await store.getManualPatients(team)).toEqual([{ ...ada, version: 1 }]);
    expect(await store.getDischargedPatients(team)).toEqual([]);
  });
});
