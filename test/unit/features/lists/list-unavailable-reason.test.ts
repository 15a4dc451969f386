import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClinicalRows, FhirError, type EhrGateway, type PatientClinical } from '../../../../server/ehr/index';
import { buildListView } from '../../../../server/features/lists/list-view';
import { openSqliteStore } from '../../../../server/storage/sqlite/sqlite-store';
import type { TeamStore } from '../../../../server/storage/ports';
import { valueOf } from '../../../../server/features/shared/outcomes';
import { captureLogs } from '../../../helpers/log-capture';

// Why a row is not available decides whether "Remove N patients that cannot be shown" may take
// it off the list: only a patient the EHR said it does not have is gone; an EHR that failed
// (an outage, a 503, a timeout, a refused token) never makes a row gone.

const team = { tenantId: 'tenant-a', teamId: 'team-1' };
captureLogs();
const clinical = (id: string): PatientClinical => ({
  patient: { id, displayName: `Patient ${id}`, mrn: `M-${id}`, birthDate: '1970-01-01', gender: 'female' },
  careProvider: { status: 'none' },
  warnings: [],
});

let dir: string;
let store: TeamStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-reason-'));
  store = openSqliteStore(join(dir, 'patients.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ward(ids: string[], mode: 'ehr' | 'manual' = 'ehr') {
  await store.setConnection(
    team,
    mode === 'ehr'
      ? { mode: 'ehr', url: 'https://ehr.example.org/fhir', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: ['Patient', 'Observation'] }
      : { mode: 'manual' },
    'u1',
  );
  const list = valueOf(await store.createList(team, 'Ward 5', 'u1'));
  await store.updateList(team, list.id, { columns: ['name', 'heartRate'] });
  await store.addPatients(team, list.id, ids, 'u1');
  return (await store.getList(team, list.id))!;
}

const reasons = (rows: { patientId: string; available: boolean; unavailable?: string }[]) =>
  rows.map((r) => [r.patientId, r.available, r.unavailable]);

describe('why a list row is not available', () => {
  it('marks every row failed, never gone, when the EHR is down (503) for the list read', async () => {
    const list = await ward(['p1', 'p2', 'p3', 'p4', 'p5']);
    const asked: string[] = [];
    const down = {
      async readClinical() {
        throw new FhirError('ehr_error', 'The EHR is not answering (503).', 503);
      },
      async readPatient(_base: string, _tenant: string, id: string) {
        asked.push(id);
        return null;
      },
    } as unknown as EhrGateway;
    const view = await buildListView(store, down, team, list);
    expect(view.ehrError?.code).toBe('ehr_error');
    expect(reasons(view.rows)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => [id, false, 'failed']));
    // With the EHR failing, no patient is asked about again.
    expect(asked).toEqual([]);
  });

  it('marks gone only the patients the list read says the EHR does not have, without asking again', async () => {
    const list = await ward(['here', 'deleted', 'flaky', 'timedOut', 'backAgain']);
    const asked: string[] = [];
    const partial = {
      // The read names the patients whose entry said 404/410; the others it could not give are failed.
      async readClinical() {
        return new ClinicalRows([['here', clinical('here')]], new Set(['deleted']));
      },
      async readPatient(_base: string, _tenant: string, id: string) {
        asked.push(id);
        return clinical(id).patient;
      },
    } as unknown as EhrGateway;
    const view = await buildListView(store, partial, team, list);
    expect(view.ehrError).toBeUndefined();
    expect(reasons(view.rows)).toEqual([
      ['here', true, undefined],
      ['deleted', false, 'gone'],
      ['flaky', false, 'failed'],
      ['timedOut', false, 'failed'],
      ['backAgain', false, 'failed'],
    ]);
    // The list read is the only read: no patient is asked about one by one.
    expect(asked).toEqual([]);
  });

  it('marks a patient no longer on a Manual roster gone', async () => {
    const list = await ward(['m1'], 'manual');
    const view = await buildListView(store, {} as EhrGateway, team, list);
    expect(reasons(view.rows)).toEqual([['m1', false, 'gone']]);
  });
});
