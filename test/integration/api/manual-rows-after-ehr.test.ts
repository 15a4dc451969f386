import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkAnswer } from '../../helpers/contract-check';
import { cast, startTestServer } from '../../helpers/test-server';

// A Manual-mode team that links an EHR keeps its lists, without their patients (source-change-data.test.ts). A list left by an
// earlier version, which kept them, still holds hand-entered patients: they are marked as such, so the tab can say what they are
// instead of "not available from the EHR" with an id; an EHR patient the EHR no longer gives is not marked.
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.stop());

it('marks the hand-entered patients left on a list once the team uses an EHR', async () => {
  const who = cast(server.info);
  const base = `/api/teams/${who.team.id}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await server.api(who.owner, method, path, body);
    checkAnswer(method, path, res.status, res.body, typeof res.body === 'object' && res.body !== null);
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.body as Record<string, unknown> & { id: string; version: number };
  };
  await call('PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Ward EHR' });
  const [ehrPatient] = (await call('GET', `${base}/patients?gender=female&count=1`)).patients as { id: string }[];
  await call('PUT', `${base}/connection`, { mode: 'manual' });
  const kept = await call('POST', `${base}/manual-patients`, { name: 'Zoe Hand', mrn: 'ZH-1' });
  const rounds = await call('POST', `${base}/lists`, { name: 'Rounds' });
  await call('POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [kept.id] });

  await call('PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Ward EHR', confirm: true });
  expect((await call('GET', `${base}/lists/${rounds.id}`)).rows).toEqual([]);
  // The list as an earlier version left it: the hand-entered patient still on it.
  const db = new Database(join(server.dataDir, 'patients.sqlite'));
  try {
    db.prepare('INSERT INTO list_patients (list_id, patient_id, position, added_by, added_at) VALUES (?, ?, 0, ?, ?)').run(
      rounds.id,
      kept.id,
      who.owner,
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
  await call('POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [ehrPatient!.id] });
  const shown = (await call('GET', `${base}/lists/${rounds.id}`)).rows as { patientId: string; available: boolean; handEntered?: boolean }[];
  expect(shown.map(({ patientId, available, handEntered }) => ({ patientId, available, handEntered }))).toEqual([
    { patientId: kept.id, available: false, handEntered: true },
    { patientId: ehrPatient!.id, available: true, handEntered: undefined },
  ]);
  // Nothing of the hand-entered patient is given away but that they were entered by hand.
  const row = shown[0] as Record<string, unknown>;
  expect([row.displayName, row.mrn, row.birthDate]).toEqual([null, null, null]);
});
