import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EhrGateway, PatientClinical } from '../../../server/fhir/index';
import { buildListView, listViewJson } from '../../../server/lists/list-view';
import { openSqliteStore } from '../../../server/lists/sqlite-store';
import type { TeamStore } from '../../../server/lists/store';

const team = { tenantId: 'tenant-a', teamId: 'team-1' };
const clinical = (id: string, pulse: number): PatientClinical => ({
  patient: { id, displayName: `Patient ${id}`, mrn: `M-${id}`, birthDate: '1970-01-01', gender: 'female' },
  careProvider: { status: 'none' },
  vitals: { status: 'ok', value: { heartRate: { kind: 'heartRate', time: { text: '2026-11-30T08:00:00Z', epochMs: Date.UTC(2026, 10, 30, 8) }, value: { value: pulse, unit: 'beats/minute' } } } },
  warnings: [],
});

/**
 * An EHR read that completes p1 while it is still going, then p2 at the end. The map it ends with
 * carries a later reading for p1, so the test sees which of the two the list sent.
 */
function ehrAnswering(events: string[]): EhrGateway {
  return {
    async readClinical(_base, _tenant, _ids, _parts, onRow) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      onRow?.(clinical('p1', 61));
      events.push('p1 handed on');
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push('last batch in');
      return new Map([['p1', clinical('p1', 99)], ['p2', clinical('p2', 72)]]);
    },
  } as EhrGateway;
}

let dir: string;
let store: TeamStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-view-'));
  store = openSqliteStore(join(dir, 'patients.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the list view', () => {
  it('sends the rows built while the EHR was still answering, and the rest built at the end, in list order', async () => {
    await store.setConnection(team, { mode: 'ehr', url: 'https://ehr.example.org/fhir', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: ['Patient', 'Observation'] }, 'u1');
    const list = await store.createList(team, 'Rounds', 'u1');
    await store.updateList(team, list.id, { columns: ['name', 'heartRate', 'latestNote'] });
    await store.addPatients(team, list.id, ['p2', 'gone', 'p1'], 'u1');
    await store.addNote(team, 'p1', { id: 'u1', name: 'Avery' }, 'Check drain');
    const events: string[] = [];
    const view = await buildListView(store, ehrAnswering(events), team, (await store.getList(team, list.id))!);
    expect(events).toEqual(['p1 handed on', 'last batch in']);

    const sent = JSON.parse(listViewJson(view));
    expect(sent).toEqual(JSON.parse(JSON.stringify(view)));
    expect(sent.rows.map((r: { patientId: string }) => r.patientId)).toEqual(['p2', 'gone', 'p1']);
    expect(sent.rows[2]).toMatchObject({ displayName: 'Patient p1', cells: { heartRate: { status: 'ok', value: { value: { value: 61 } } }, latestNote: { status: 'ok', value: { text: 'Check drain' } } } });
    expect(sent.rows[0].cells.heartRate.value).toEqual({ time: { text: '2026-11-30T08:00:00Z', epochMs: Date.UTC(2026, 10, 30, 8) }, value: { value: 72, unit: 'beats/minute' } });
    expect(sent.rows[1]).toMatchObject({ available: false, cells: { heartRate: { status: 'unavailable' } } });
  });
});
