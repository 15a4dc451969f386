import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsOf, callAs, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * A gap an outside review found: reading the notes of any id was recorded as a read of that
 * patient (PatientView success) and answered with no notes, for a patient the team does not
 * have. A read keyed by a patient id in the path records a success only for the team's patient;
 * any other id is 404 `patient_not_found`, recorded as a failure naming it.
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;

beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

const call = (userId: string, method: string, path: string, body?: unknown) => callAs(server, userId, method, path, body);

describe("a patient's notes", () => {
  it('are read, and recorded as read, only for a patient the team has', async () => {
    const other = await call(who.member, 'GET', `${base}/patients/some-other-teams-patient/notes`);
    expect(other).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    expect(await auditEventsOf(server, other.requestId)).toMatchObject([
      { operation: 'PatientView', outcome: 'failure', status: 404, teamId: who.team.id, userId: who.member, patientId: 'some-other-teams-patient' },
    ]);

    const mine = (await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Noted Patient', values: {} })).body.id as string;
    const read = await call(who.member, 'GET', `${base}/patients/${mine}/notes`);
    expect(read).toMatchObject({ status: 200, body: { notes: [] } });
    expect(await auditEventsOf(server, read.requestId)).toMatchObject([{ operation: 'PatientView', outcome: 'success', patientId: mine }]);
  });

  it('are corrected or withdrawn only on a patient the team has', async () => {
    const noteId = '00000000-0000-4000-8000-000000000001';
    const correct = await call(who.member, 'PATCH', `${base}/patients/not-the-teams/notes/${noteId}`, { text: 'x', version: 1 });
    expect(correct).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    expect(await auditEventsOf(server, correct.requestId)).toMatchObject([
      { operation: 'PatientNoteCorrect', outcome: 'failure', status: 404, patientId: 'not-the-teams' },
    ]);
    const withdraw = await call(who.member, 'POST', `${base}/patients/not-the-teams/notes/${noteId}/withdraw`, { version: 1 });
    expect(withdraw).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    expect(await auditEventsOf(server, withdraw.requestId)).toMatchObject([
      { operation: 'PatientNoteWithdraw', outcome: 'failure', status: 404, patientId: 'not-the-teams' },
    ]);
  });
});
