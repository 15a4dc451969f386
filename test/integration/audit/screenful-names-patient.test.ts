import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsOf, auditReader, callAs, type AuditEvent } from '../../helpers/audit-records';
import { startManualTeamWithPatient, type ManualTeamWithPatient } from '../../helpers/manual-team-patient';

/**
 * A gap an outside review found: a screenful of a patient's trail (no CSV, no `after`, no `limit`
 * over a screenful) was recorded naming no patient, so that typing a filter did not fill trails
 * with the auditor's reads. But a screenful can be the whole trail, and moving `from` forward pages
 * through the rest. A read filtered by a patient id that gives any record of theirs names them;
 * one that gives nothing (a part of an id) still names no one.
 */

let { server, who, base, patient } = {} as ManualTeamWithPatient;
const reader = () => auditReader(server);

beforeAll(async () => {
  ({ server, who, base, patient } = await startManualTeamWithPatient('Screen Read'));
  expect((await server.api(who.member, 'GET', `${base}/manual-patients/${patient}`)).status).toBe(200);
});
afterAll(() => server?.stop());

const trailOf = async (id: string, query = '') =>
  (await server.api(reader(), 'GET', `/api/audit?patient=${encodeURIComponent(id)}&limit=50000${query}`)).body.events as AuditEvent[];

describe("a screenful of a patient's trail", () => {
  it("names the patient when it gives their records: the patient's own trail shows who took it", async () => {
    const screen = await callAs(server, reader(), 'GET', `/api/audit?patient=${encodeURIComponent(patient)}`);
    expect(screen.status).toBe(200);
    const read = screen.body.events as AuditEvent[];
    expect(read.map((e) => e.operation)).toEqual(['PatientDetailsEdit', 'PatientView']);
    expect(await auditEventsOf(server, screen.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'success', userId: reader(), patientId: patient },
    ]);
    // Its record is not part of what it read, and the patient's own trail shows the read and who took it.
    expect(read.some((e) => e.requestId === screen.requestId)).toBe(false);
    expect((await trailOf(patient, '&operation=AuditView')).filter((e) => e.requestId === screen.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'success', userId: reader(), patientId: patient },
    ]);

    // Paging by moving `from` forward past what was read names the patient too, while it gives records.
    const from = encodeURIComponent(read[1].time);
    const paged = await callAs(server, reader(), 'GET', `/api/audit?patient=${encodeURIComponent(patient)}&from=${from}`);
    expect(paged.status).toBe(200);
    expect((paged.body.events as AuditEvent[]).length).toBeGreaterThan(0);
    expect(await auditEventsOf(server, paged.requestId)).toMatchObject([{ operation: 'AuditView', userId: reader(), patientId: patient }]);
  });

  it('names no one when it gives nothing: a part of an id, an id with no record', async () => {
    const part = patient.slice(0, 3);
    for (const id of [part, 'no-such-patient-4242']) {
      const screen = await callAs(server, reader(), 'GET', `/api/audit?patient=${encodeURIComponent(id)}`);
      expect(screen.status, id).toBe(200);
      expect(screen.body.events, id).toEqual([]);
      expect(await auditEventsOf(server, screen.requestId), id).toMatchObject([
        { operation: 'AuditView', outcome: 'success', patientId: null, teamId: null },
      ]);
      // No record anywhere names the id typed.
      const all = (await server.api(reader(), 'GET', '/api/audit?limit=50000')).body.events as AuditEvent[];
      expect(
        all.filter((e) => e.patientId === id),
        id,
      ).toEqual([]);
    }
  });
});
