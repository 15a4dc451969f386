import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';

// An MRN names one person in a Manual-mode team. A clerk who types in a patient the team already
// has (admitted, or discharged and now back) is told so and pointed to the record, never given a
// second record of the same person beside the first; a change of MRN is held to the same rule.
// Both stores.
describe.each(bothStores)('%s', (storeName, start) => {
  let server: StoreHarness;
  let member: string;
  let teamId: string;
  let base: string;

  const roster = async () =>
    ((await server.call(member, 'GET', `${base}/manual-patients`)).body.patients as { id: string; mrn: string | null }[]).map((p) => [p.id, p.mrn]);
  const dischargedIds = async () =>
    ((await server.call(member, 'GET', `${base}/discharged-patients`)).body.patients as { id: string }[]).map((p) => p.id);
  const create = (name: string, mrn: string) => server.call(member, 'POST', `${base}/manual-patients`, { name, mrn, values: {} });

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    teamId = team.id;
    member = team.members.find((m) => !team.owners.includes(m))!;
    base = `/api/teams/${team.id}`;
    expect((await server.call(team.owners[0], 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
  }, 60_000);
  afterAll(() => server?.stop());

  it('refuses a new patient with the MRN of a discharged or admitted patient, saying what to do, and adds nothing', async () => {
    const ada = (await create('Ada Home', 'D-1')).body;
    expect((await server.call(member, 'POST', `${base}/manual-patients/${ada.id}/discharge`, { version: 1 })).status).toBe(200);
    const before = await roster();

    // Readmission typed in as a new patient: the MRN, in other case and spacing, is the discharged patient's.
    const again = await create('Ada Home', ' d-1 ');
    expect(again).toMatchObject({
      status: 400,
      body: {
        code: 'validation_failed',
        fields: ['mrn'],
        issues: [{ field: 'mrn', code: 'mrn_discharged', value: 'd-1' }],
      },
    });
    expect(again.body.message).toContain('re-admit them');
    expect(await roster()).toEqual(before);
    expect(await dischargedIds()).toEqual([ada.id]);

    // Re-admitted, she is on the roster: the same MRN typed in again is hers.
    expect((await server.call(member, 'POST', `${base}/discharged-patients/${ada.id}/readmit`, { version: 2 })).status).toBe(200);
    const twice = await create('Ada H.', 'D-1');
    expect(twice).toMatchObject({ status: 400, body: { code: 'validation_failed', issues: [{ field: 'mrn', code: 'mrn_in_team', value: 'D-1' }] } });
    expect((await roster()).filter(([, mrn]) => mrn?.toLowerCase() === 'd-1')).toEqual([[ada.id, 'D-1']]);

    // Each refusal is a failed edit in the trail, naming the patient whose MRN the answer points to.
    const failed = (await server.trail()).filter((e) => e.operation === 'PatientDetailsEdit' && e.teamId === teamId && e.outcome === 'failure');
    expect(failed.map((e) => [e.status, e.patientId])).toEqual([
      [400, ada.id],
      [400, ada.id],
    ]);
  });

  it('records the refusal that tells an MRN is a patient’s of the team as a read of that patient', async () => {
    const hal = (await create('Hal Known', 'H-11')).body;
    const from = new Date().toISOString();
    // The clerk learns that the team has a patient with this MRN: a search by MRN, whatever the refusal.
    expect((await create('Someone Else', 'h-11')).status).toBe(400);
    const ivy = (await create('Ivy New', 'I-12')).body;
    expect((await server.call(member, 'PATCH', `${base}/manual-patients/${ivy.id}`, { name: 'Ivy New', mrn: 'H-11', version: 1 })).status).toBe(400);
    const reads = (await server.trail()).filter((e) => e.time >= from && e.teamId === teamId && e.operation === 'PatientSearch');
    expect(reads.map((e) => [e.outcome, e.status, e.patientId, e.userId])).toEqual([
      ['success', 200, hal.id, member],
      ['success', 200, hal.id, member],
    ]);
  });

  it('refuses changing a patient’s MRN to another patient’s, and lets each keep their own', async () => {
    const bo = (await create('Bo Bed', 'B-2')).body;
    const cy = (await create('Cy Chair', 'C-3')).body;
    const taken = await server.call(member, 'PATCH', `${base}/manual-patients/${cy.id}`, { name: 'Cy Chair', mrn: 'b-2', version: 1 });
    expect(taken).toMatchObject({ status: 400, body: { code: 'validation_failed', issues: [{ field: 'mrn', code: 'mrn_in_team', value: 'b-2' }] } });
    expect((await server.call(member, 'GET', `${base}/manual-patients/${cy.id}`)).body).toMatchObject({ mrn: 'C-3', version: 1 });

    // An edit that keeps the MRN (sent again, or left out) is not a new MRN.
    expect(
      (await server.call(member, 'PATCH', `${base}/manual-patients/${bo.id}`, { name: 'Bo Bed', mrn: 'B-2', room: '4', version: 1 })).status,
    ).toBe(200);
    expect((await server.call(member, 'PATCH', `${base}/manual-patients/${bo.id}`, { name: 'Bo Bed', room: '5', version: 2 })).status).toBe(200);
    expect(
      (await server.call(member, 'PATCH', `${base}/manual-patients/${cy.id}`, { name: 'Cy Chair', mrn: 'C-30', version: 1 })).body,
    ).toMatchObject({
      mrn: 'C-30',
    });
  });

  it('adds one patient when clerks type in the same MRN at the same moment, and tells the others, as when they type it after', async () => {
    const names = ['Di One', 'Di Two', 'Di Three', 'Di Four'];
    const answers = await Promise.all(names.map((name) => create(name, 'SAME-7')));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400, 400]);
    for (const refusedAnswer of answers.filter((a) => a.status === 400))
      expect(refusedAnswer.body).toMatchObject({
        code: 'validation_failed',
        fields: ['mrn'],
        issues: [{ field: 'mrn', code: 'mrn_in_team', value: 'SAME-7' }],
      });
    const added = answers.find((a) => a.status === 201)!.body;
    expect((await roster()).filter(([, mrn]) => mrn === 'SAME-7')).toEqual([[added.id, 'SAME-7']]);

    // Two patients changed to one MRN at once: never both have it. SQLite keeps one; SharePoint, without
    // transactions, may undo both (each saw the other's row after its write); each refused keeps their own.
    const [eb, fi] = [(await create('Eb Bay', 'E-8')).body, (await create('Fi Bay', 'F-9')).body];
    const changes = await Promise.all(
      [eb, fi].map((p) => server.call(member, 'PATCH', `${base}/manual-patients/${p.id}`, { name: p.name, mrn: 'G-10', version: 1 })),
    );
    expect(changes.map((c) => c.status)).not.toEqual([200, 200]);
    for (const change of changes) expect([200, 400]).toContain(change.status);
    if (storeName.startsWith('SQLite')) expect(changes.map((c) => c.status).sort()).toEqual([200, 400]);
    const mrns = new Map((await roster()).map(([id, mrn]) => [id, mrn] as const));
    expect([mrns.get(eb.id), mrns.get(fi.id)]).toEqual([changes[0].status === 200 ? 'G-10' : 'E-8', changes[1].status === 200 ? 'G-10' : 'F-9']);
    for (const change of changes.filter((c) => c.status === 400))
      expect(change.body).toMatchObject({ code: 'validation_failed', issues: [{ field: 'mrn', code: 'mrn_in_team', value: 'G-10' }] });
  });
});
