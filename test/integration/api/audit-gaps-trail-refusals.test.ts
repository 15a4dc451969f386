import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsOf, callAs, auditReader, type AuditEvent } from '../../helpers/audit-records';
import { startManualTeamWithPatient, type ManualTeamWithPatient } from '../../helpers/manual-team-patient';

/**
 * A gap an outside review found: a refused deliberate read of a patient's trail (an export, a link
 * to one, a page continued) was recorded naming no patient, so the patient's own trail did not
 * show who tried to take it. A refused first screenful of a filter names no one: it read nothing
 * to tell whether the id is a patient's (given, it names the patient when it gives their records).
 */

let { server, who, patient } = {} as ManualTeamWithPatient;
const reader = () => auditReader(server);

beforeAll(async () => {
  ({ server, who, patient } = await startManualTeamWithPatient('Trail Target'));
});
afterAll(() => server?.stop());

const call = (userId: string, method: string, path: string, body?: unknown) => callAs(server, userId, method, path, body);

describe("a refused deliberate read of a patient's trail", () => {
  it('names the patient (and the team filtered by): no audit role, a link asked without it, a bad filter', async () => {
    const p = encodeURIComponent(patient);
    const cases = [
      { name: 'csv export, no role', user: who.member, method: 'GET', path: `/api/audit?patient=${p}&format=csv`, status: 403 },
      { name: 'export link, no role', user: who.member, method: 'POST', path: '/api/audit/export', body: { patient }, status: 403 },
      { name: 'more than a screenful, no role', user: who.member, method: 'GET', path: `/api/audit?patient=${p}&limit=6000`, status: 403 },
      { name: 'page continued, no role', user: who.member, method: 'GET', path: `/api/audit?patient=${p}&after=x`, status: 403 },
      { name: 'csv export, bad filter', user: reader(), method: 'GET', path: `/api/audit?patient=${p}&format=csv&from=yesterday`, status: 400 },
      {
        name: 'export link, bad filter',
        user: reader(),
        method: 'POST',
        path: '/api/audit/export',
        body: { patient, from: 'yesterday' },
        status: 400,
      },
    ];
    for (const c of cases) {
      const r = await call(c.user, c.method, c.path, c.body);
      expect(r.status, c.name).toBe(c.status);
      expect(await auditEventsOf(server, r.requestId), c.name).toMatchObject([
        { operation: readOperationOf(c), outcome: 'failure', status: c.status, userId: c.user, patientId: patient },
      ]);
    }
    // The patient's own trail shows each attempt.
    const trail = (await server.api(reader(), 'GET', `/api/audit?patient=${p}`)).body.events as AuditEvent[];
    expect(trail.filter((e) => e.outcome === 'failure')).toHaveLength(cases.length);

    // The team a refused export was filtered by is named too, in its one form.
    const byTeam = await call(who.member, 'GET', `/api/audit?patient=${p}&team=${who.team.id.toUpperCase()}&format=csv`);
    expect(await auditEventsOf(server, byTeam.requestId)).toMatchObject([
      { outcome: 'failure', status: 403, teamId: who.team.id, patientId: patient },
    ]);
  });

  it('names no patient for a refused first screenful of a filter, nor for an id that is no patient id', async () => {
    const firstScreen = await call(who.member, 'GET', `/api/audit?patient=${encodeURIComponent(patient)}`);
    expect(firstScreen.status).toBe(403);
    expect(await auditEventsOf(server, firstScreen.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'failure', status: 403, patientId: null },
    ]);
    const typed = await call(reader(), 'GET', `/api/audit?patient=${encodeURIComponent(patient)}&from=yesterday`);
    expect(typed.status).toBe(400);
    expect(await auditEventsOf(server, typed.requestId)).toMatchObject([
      { operation: 'AuditView', outcome: 'failure', status: 400, patientId: null },
    ]);
    const malformed = await call(who.member, 'POST', '/api/audit/export', { patient: 'not a/patient' });
    expect(malformed.status).toBe(403);
    expect(await auditEventsOf(server, malformed.requestId)).toMatchObject([{ operation: 'AuditExport', outcome: 'failure', patientId: null }]);
  });
});

/** What the call tried: an export (a CSV read, or a link to one), or a view of the trail. */
function readOperationOf(c: { method: string; path: string }): string {
  return c.method === 'POST' || c.path.includes('format=csv') ? 'AuditExport' : 'AuditView';
}
