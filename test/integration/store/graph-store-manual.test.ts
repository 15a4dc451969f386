import { describe, expect, it } from 'vitest';
import { valueOf } from '../../../server/features/shared/outcomes';
import type { ManualPatientData } from '../../../contract/manual';
import { useGraphStore } from '../../helpers/graph-store-hook';

const team = { tenantId: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182', teamId: 'ee55ff66-0077-4b88-9c99-aabbccddeeff' };
const data = (name: string): ManualPatientData => ({ name, mrn: 'M-1', birthDate: '1970-01-02', gender: 'female', room: '7B', values: { risk: 3 } });

const { graph, store } = useGraphStore(team);

describe('Graph store, Manual mode', () => {
  it('versions the schema: first write from 0, stale versions refused', async () => {
    expect(await store.getSchema(team)).toBeNull();
    const fields = [{ id: 'risk', label: 'Risk', type: 'number' as const }];
    expect(await store.setSchema(team, fields, 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await store.setSchema(team, fields, 0)).toEqual({ ok: true, value: { fields, version: 1 } });
    const results = await Promise.all([store.setSchema(team, [], 1), store.setSchema(team, fields, 1)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await store.getSchema(team))!.version).toBe(2);
  });

  it('keeps manual patients in readable columns, with versioned updates', async () => {
    const created = valueOf(await store.createManualPatient(team, data('Ada Lovelace'), 'u1'));
    expect(created).toMatchObject({ ...data('Ada Lovelace'), version: 1 });
    const site = graph.state.siteOfGroup(team.tenantId, team.teamId)!;
    const list = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients')!;
    expect([...list.items.values()][0].fields).toMatchObject({ Title: 'Ada Lovelace', Mrn: 'M-1', Room: '7B', PatientId: created.id });

    expect(await store.updateManualPatient(team, created.id, data('Ada King'), 1)).toMatchObject({
      ok: true,
      value: { name: 'Ada King', version: 2 },
    });
    expect(await store.updateManualPatient(team, created.id, data('Stale'), 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await store.updateManualPatient(team, 'no-such-id', data('X'))).toEqual({ ok: false, reason: 'not_found' });

    const other = valueOf(await store.createManualPatient(team, { ...data('Grace Hopper'), mrn: null, gender: null }, 'u2'));
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(['Ada King', 'Grace Hopper']);
    expect(await store.getManualPatients(team, [other.id, 'unknown'])).toEqual([
      { ...data('Grace Hopper'), mrn: null, gender: null, id: other.id, version: 1 },
    ]);
  });
});
