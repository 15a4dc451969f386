import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';

// Discharging a hand-entered patient: they leave every list of the team in the same change, stay
// readable in the discharged roster with who and when, and can be re-admitted; any member may do
// it, and each step is in the audit trail. Both stores: SQLite in dev mode, the team's SharePoint
// site through Graph in production mode.
describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let owner: string;
  let member: string;
  let base: string;

  const patientIdsOf = async (listId: string) =>
    ((await server.call(member, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);
  const rosterIds = async () => ((await server.call(member, 'GET', `${base}/manual-patients`)).body.patients as { id: string }[]).map((p) => p.id);
  const dischargedIds = async () =>
    ((await server.call(member, 'GET', `${base}/discharged-patients`)).body.patients as { id: string }[]).map((p) => p.id);

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    owner = team.owners[0];
    member = team.members.find((m) => !team.owners.includes(m))!;
    base = `/api/teams/${team.id}`;
    expect((await server.call(owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    expect((await server.call(owner, 'PUT', `${base}/schema`, { fields: [{ id: 'plan', label: 'Plan', type: 'text' }] })).status).toBe(200);
  }, 60_000);
  afterAll(() => server?.stop());

  it('takes the patient off every list, keeps them readable as discharged, and lets a member re-admit them', async () => {
    const ada = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Ada Discharge', mrn: 'D-1', values: { plan: 'Home' } })).body;
    const bo = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Bo Stays', values: {} })).body;
    const rounds = (await server.call(member, 'POST', `${base}/lists`, { name: 'Rounds' })).body.id as string;
    const night = (await server.call(member, 'POST', `${base}/lists`, { name: 'Night' })).body.id as string;
    await server.call(member, 'POST', `${base}/lists/${rounds}/patients`, { patientIds: [ada.id, bo.id] });
    await server.call(member, 'POST', `${base}/lists/${night}/patients`, { patientIds: [ada.id] });

    // A member who is not an owner discharges: any member may, as anyone may take a patient off a list.
    const discharged = await server.call(member, 'POST', `${base}/manual-patients/${ada.id}/discharge`, { version: 1 });
    expect(discharged).toMatchObject({
      status: 200,
      body: { id: ada.id, name: 'Ada Discharge', mrn: 'D-1', values: { plan: 'Home' }, version: 2, discharged: { byId: member } },
    });
    expect(Date.now() - Date.parse(discharged.body.discharged.at)).toBeLessThan(60_000);

    expect(await patientIdsOf(rounds)).toEqual([bo.id]);
    expect(await patientIdsOf(night)).toEqual([]);
    expect(await rosterIds()).toEqual([bo.id]);
    expect(await dischargedIds()).toEqual([ada.id]);
    expect((await server.call(member, 'GET', `${base}/discharged-patients/${ada.id}`)).body).toMatchObject({
      name: 'Ada Discharge',
      discharged: { byId: member },
    });

    // Discharged is read-only: no edit, no second discharge, no way back onto a list.
    expect((await server.call(member, 'GET', `${base}/manual-patients/${ada.id}`)).status).toBe(404);
    expect((await server.call(member, 'PATCH', `${base}/manual-patients/${ada.id}`, { name: 'Changed', version: 2 })).status).toBe(404);
    const again = await server.call(owner, 'POST', `${base}/manual-patients/${ada.id}/discharge`, { version: 2 });
    expect(again).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    expect((await server.call(member, 'POST', `${base}/lists/${night}/patients`, { patientIds: [ada.id] })).body.code).toBe('patient_not_found');
    expect(await patientIdsOf(night)).toEqual([]);

    // Re-admission brings them back to the roster, not onto lists.
    expect((await server.call(member, 'POST', `${base}/discharged-patients/${ada.id}/readmit`, { version: 1 })).body.code).toBe('version_conflict');
    const back = await server.call(member, 'POST', `${base}/discharged-patients/${ada.id}/readmit`, { version: 2 });
    expect(back).toMatchObject({ status: 200, body: { id: ada.id, name: 'Ada Discharge', version: 3 } });
    expect(back.body).not.toHaveProperty('discharged');
    expect((await rosterIds()).sort()).toEqual([ada.id, bo.id].sort());
    expect(await dischargedIds()).toEqual([]);
    expect(await patientIdsOf(night)).toEqual([]);
    expect((await server.call(member, 'POST', `${base}/discharged-patients/${ada.id}/readmit`, { version: 3 })).status).toBe(404);
  });

  it('refuses a stale version or bad input and changes nothing', async () => {
    const cy = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Cy Conflict', values: {} })).body;
    const ward = (await server.call(member, 'POST', `${base}/lists`, { name: 'Ward' })).body.id as string;
    await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [cy.id] });
    await server.call(owner, 'PATCH', `${base}/manual-patients/${cy.id}`, { name: 'Cy Conflict', room: '3', version: 1 });

    const stale = await server.call(member, 'POST', `${base}/manual-patients/${cy.id}/discharge`, { version: 1 });
    expect(stale).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
    for (const body of [{}, { version: 'two' }, { version: 2, at: '2020-01-01' }]) {
      expect((await server.call(member, 'POST', `${base}/manual-patients/${cy.id}/discharge`, body)).status).toBe(400);
    }
    expect((await server.call(member, 'POST', `${base}/manual-patients/not-a-uuid/discharge`, { version: 1 })).status).toBe(404);
    expect(await patientIdsOf(ward)).toEqual([cy.id]);
    expect(await rosterIds()).toContain(cy.id);
    expect(await dischargedIds()).not.toContain(cy.id);
  });

  it('refuses callers outside the team and teams not in Manual mode, changing nothing', async () => {
    const eve = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Eve Guarded', values: {} })).body;
    // A user of the other tenant cannot reach the team at all.
    const foreigner = server.info.users.find((u) => u.tenantId !== server.info.tenants[0].id)!.id;
    const refused = await server.call(foreigner, 'POST', `${base}/manual-patients/${eve.id}/discharge`, { version: 1 });
    expect([403, 404]).toContain(refused.status);
    expect(JSON.stringify(refused.body)).not.toContain('Eve Guarded');

    // A team of the same tenant in which the caller is not a member, and one that is not in Manual mode.
    const other = server.info.tenants[0].teams[1];
    const outsider = server.info.users.find((u) => u.tenantId === server.info.tenants[0].id && !other.members.includes(u.id))!.id;
    expect((await server.call(outsider, 'POST', `/api/teams/${other.id}/manual-patients/${eve.id}/discharge`, { version: 1 })).body.code).toBe(
      'not_team_member',
    );
    expect((await server.call(outsider, 'GET', `/api/teams/${other.id}/discharged-patients`)).body.code).toBe('not_team_member');
    const inOther = other.members[0];
    expect((await server.call(inOther, 'POST', `/api/teams/${other.id}/manual-patients/${eve.id}/discharge`, { version: 1 })).body.code).toBe(
      'not_manual_mode',
    );

    expect(await rosterIds()).toContain(eve.id);
    expect(await dischargedIds()).not.toContain(eve.id);
  });

  it('lets the team change its fields while a patient is away: re-admitted, they keep the values that still fit and can be edited', async () => {
    type Schema = { fields: { id: string }[]; version: number };
    const before = (await server.call(member, 'GET', `${base}/schema`)).body as Schema;
    const withBay = { fields: [...before.fields, { id: 'bay', label: 'Bay', type: 'text' }], version: before.version };
    expect((await server.call(owner, 'PUT', `${base}/schema`, withBay)).status).toBe(200);
    const fay = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Fay Away', values: { plan: 'Home', bay: 'B2' } })).body;
    await server.call(member, 'POST', `${base}/manual-patients/${fay.id}/discharge`, { version: 1 });

    // Discharged patients do not hold the team's schema changes back, and keep their record as it was.
    const now = (await server.call(member, 'GET', `${base}/schema`)).body as Schema;
    expect(
      (await server.call(owner, 'PUT', `${base}/schema`, { fields: now.fields.filter((f) => f.id !== 'bay'), version: now.version })).status,
    ).toBe(200);
    expect((await server.call(member, 'GET', `${base}/discharged-patients/${fay.id}`)).body.values).toEqual({ plan: 'Home', bay: 'B2' });

    const back = await server.call(member, 'POST', `${base}/discharged-patients/${fay.id}/readmit`, { version: 2 });
    expect(back).toMatchObject({ status: 200, body: { version: 3, values: { plan: 'Home' } } });
    expect(back.body.values).not.toHaveProperty('bay');
    const edited = await server.call(member, 'PATCH', `${base}/manual-patients/${fay.id}`, { name: 'Fay Away', room: '9', version: 3 });
    expect(edited).toMatchObject({ status: 200, body: { room: '9', values: { plan: 'Home' }, version: 4 } });
  });

  it('records the values a re-admission drops as a change of the patient, and none when it drops nothing', async () => {
    type Schema = { fields: { id: string }[]; version: number };
    const before = (await server.call(member, 'GET', `${base}/schema`)).body as Schema;
    const withWard = { fields: [...before.fields, { id: 'ward', label: 'Ward', type: 'text' }], version: before.version };
    expect((await server.call(owner, 'PUT', `${base}/schema`, withWard)).status).toBe(200);
    const gil = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Gil Dropped', values: { plan: 'Rehab', ward: '5A' } })).body;
    const hal = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Hal Kept', values: { plan: 'Home' } })).body;
    await server.call(member, 'POST', `${base}/manual-patients/${gil.id}/discharge`, { version: 1 });
    await server.call(member, 'POST', `${base}/manual-patients/${hal.id}/discharge`, { version: 1 });
    const now = (await server.call(member, 'GET', `${base}/schema`)).body as Schema;
    const withoutWard = { fields: now.fields.filter((f) => f.id !== 'ward'), version: now.version };
    expect((await server.call(owner, 'PUT', `${base}/schema`, withoutWard)).status).toBe(200);

    const dropped = await server.call(owner, 'POST', `${base}/discharged-patients/${gil.id}/readmit`, { version: 2 });
    expect(dropped).toMatchObject({ status: 200, body: { values: { plan: 'Rehab' } } });
    const kept = await server.call(owner, 'POST', `${base}/discharged-patients/${hal.id}/readmit`, { version: 2 });
    expect(kept).toMatchObject({ status: 200, body: { values: { plan: 'Home' } } });

    const trail = await server.trail();
    const recordsOf = (requestId: string) => trail.filter((e) => e.requestId === requestId).map((e) => `${e.operation}:${e.outcome}:${e.patientId}`);
    expect(recordsOf(dropped.requestId).sort()).toEqual([`PatientDetailsEdit:success:${gil.id}`, `PatientReadmit:success:${gil.id}`]);
    expect(recordsOf(kept.requestId)).toEqual([`PatientReadmit:success:${hal.id}`]);
  });

  it('records the discharge, each list left, re-admission and the reads of discharged patients', async () => {
    const di = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Di Audited', values: {} })).body;
    const ward = (await server.call(member, 'POST', `${base}/lists`, { name: 'Audited' })).body.id as string;
    await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [di.id] });
    await server.call(member, 'POST', `${base}/manual-patients/${di.id}/discharge`, { version: 1 });
    await server.call(owner, 'GET', `${base}/discharged-patients`);
    await server.call(owner, 'GET', `${base}/discharged-patients/${di.id}`);
    await server.call(owner, 'POST', `${base}/discharged-patients/${di.id}/readmit`, { version: 2 });
    await server.call(member, 'POST', `${base}/manual-patients/${di.id}/discharge`, { version: 1 });

    const mine = (await server.trail()).filter((e) => e.patientId === di.id);
    const summary = mine.map((e) => `${e.operation}:${e.outcome}:${e.userId === owner ? 'owner' : 'member'}${e.listId === ward ? ':ward' : ''}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'PatientDischarge:success:member',
        'PatientListRemovePatient:success:member:ward',
        'PatientSearch:success:owner',
        'PatientView:success:owner',
        'PatientReadmit:success:owner',
        'PatientDischarge:failure:member',
      ]),
    );
    // The refused second discharge removed the patient from no list: it is recorded as what it tried, once.
    expect(summary.filter((s) => s.includes(':failure:'))).toEqual(['PatientDischarge:failure:member']);
  });
});
