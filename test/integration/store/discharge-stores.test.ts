import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManualPatientData } from '../../../contract/manual';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { valueOf } from '../../../server/features/shared/outcomes';

// Discharge in each store when something goes wrong half-way: SQLite changes nothing unless the
// audit records commit with it; Graph, without transactions, never leaves a patient marked
// discharged who is still on a list, and a second discharge finishes what the first began.
const team = { tenantId: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182', teamId: 'ee55ff66-0077-4b88-9c99-aabbccddeeff' };
const data: ManualPatientData = { name: 'Ada Lovelace', mrn: 'M-1', birthDate: null, gender: null, room: '7B', values: {} };
const who = { at: '2026-12-03T10:00:00.000Z', byId: 'u2', byName: 'Emery Zhang' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('SQLite store', () => {
  it('takes the patient off the lists only together with the audit records: a failed append changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patients-discharge-'));
    const store = openSqliteStore(join(dir, 'patients.sqlite'));
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const patient = valueOf(await store.createManualPatient(team, data, 'u1'));
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    await store.addPatients(team, list.id, [patient.id, 'other'], 'u1');
    const before = (await store.getList(team, list.id))!;

    const failing = () => {
      throw new Error('the audit log cannot be written');
    };
    await expect(store.dischargeManualPatient(team, patient.id, who, 1, failing)).rejects.toThrow('audit log');
    expect(await store.getList(team, list.id)).toEqual(before);
    expect(await store.getManualPatients(team)).toEqual([patient]);
    expect(await store.getDischargedPatients(team)).toEqual([]);

    const done = await store.dischargeManualPatient(team, patient.id, who, 1);
    expect(done).toEqual({ ok: true, value: { patient: { ...patient, version: 2, discharged: who }, removedFromLists: [list.id] } });
    // The list's version moves on, so a tab holding the old one reads it again.
    expect(await store.getList(team, list.id)).toMatchObject({ patientIds: ['other'], version: before.version + 1 });
  });
});

describe('Graph store', () => {
  it('never leaves a discharged patient on a list; a discharge stopped half-way is finished by the next', async () => {
    const graph: GraphEmulator = await startGraphEmulator();
    graph.addGroup(team.tenantId, team.teamId);
    const store = openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: async (t) => graph.tokenFor(t) });
    cleanups.push(async () => {
      await store.close();
      await graph.close();
    });
    const patient = valueOf(await store.createManualPatient(team, data, 'u1'));
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    await store.addPatients(team, list.id, [patient.id], 'u1');

    // The write that marks the patient discharged fails: they are off the list, still admitted.
    const site = graph.state.siteOfGroup(team.tenantId, team.teamId)!;
    const manualList = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients')!;
    graph.beforeNext(
      (method, path) => method === 'PATCH' && path.includes(`/lists/${manualList.id}/items/`),
      () => {
        throw new Error('Graph is down');
      },
    );
    await expect(store.dischargeManualPatient(team, patient.id, who, 1)).rejects.toThrow();
    expect((await store.getList(team, list.id))!.patientIds).toEqual([]);
    expect((await store.getManualPatients(team)).map((p) => p.id)).toEqual([patient.id]);
    expect(await store.getDischargedPatients(team)).toEqual([]);

    const second = await store.dischargeManualPatient(team, patient.id, who, 1);
    expect(second).toMatchObject({ ok: true, value: { patient: { id: patient.id, version: 2, discharged: who } } });
    expect(await store.getManualPatients(team)).toEqual([]);
    expect(await store.getDischargedPatients(team)).toEqual([{ ...patient, version: 2, discharged: who }]);
    expect(await store.dischargeManualPatient(team, patient.id, who, 2)).toEqual({ ok: false, reason: 'not_found' });

    // Re-admitted: back on the roster, on no list, and editable again.
    expect(await store.readmitManualPatient(team, patient.id, {}, 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await store.readmitManualPatient(team, patient.id, {}, 2)).toEqual({ ok: true, value: { ...patient, version: 3 } });
    expect(await store.getDischargedPatients(team)).toEqual([]);
    expect(await store.updateManualPatient(team, patient.id, { ...data, room: '8C' }, 3)).toMatchObject({
      ok: true,
      value: { room: '8C', version: 4 },
    });
  });
});
