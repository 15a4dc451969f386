import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ROSTER_PATIENTS } from '../../../contract/manual';
import { limitStores, patientRow, type LimitHarness } from '../../helpers/limit-stores';
import { cast } from '../../helpers/test-server';

// A team's Manual-mode roster holds at most MAX_ROSTER_PATIENTS patients admitted at once (discharged
// ones do not count): one added past it is refused (409 roster_full), an import that would pass it is
// refused whole, saying how many still fit, and nothing is written; each refusal is recorded. Both stores.
describe.each(limitStores)('%s', (_name, start) => {
  let server: LimitHarness;
  let who: ReturnType<typeof cast>;
  let base: string;

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    base = `/api/teams/${who.team.id}`;
    expect((await server.call(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
  });
  afterAll(() => server?.stop());

  const held = async () => ((await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients as unknown[]).length;

  /** Imports `count` patients named `prefix n` from a CSV, as the tab does; gives the confirmation's answer. */
  const importRows = async (count: number, prefix: string) => {
    const csv = Buffer.from('Name\n' + Array.from({ length: count }, (_, i) => `${prefix} ${i}\n`).join(''));
    const sent = await server.call(who.owner, 'POST', `${base}/manual-import/file`, csv, {
      'content-type': 'application/octet-stream',
      'x-file-name': 'roster.csv',
    });
    expect(sent.status).toBe(200);
    return server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token: sent.body.token, mapping: sent.body.mapping, mode: 'all' });
  };

  it(`refuses a patient or an import past ${MAX_ROSTER_PATIENTS.toLocaleString('en')}, discharged ones not counted, writing none of it`, async () => {
    const first = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'First in', values: {} });
    expect(first.status).toBe(201);
    // The rest of the roster but two places: written into the team's site directly on Graph, imported on SQLite.
    const tenantId = server.info.tenants.find((t) => t.teams.some((team) => team.id === who.team.id))!.id;
    const rest = Array.from({ length: MAX_ROSTER_PATIENTS - 2 }, (_, i) => patientRow(`Imported ${i}`));
    if (!server.seed(tenantId, who.team.id, 'manualPatients', rest)) {
      expect(await importRows(rest.length, 'Imported')).toMatchObject({ status: 201, body: { imported: rest.length } });
    }
    const discharged = await server.call(who.member, 'POST', `${base}/manual-patients/${first.body.id}/discharge`, { version: first.body.version });
    expect(discharged.status).toBe(200);

    // Two places left: an import of three is refused whole, and says how many fit.
    const over = await importRows(3, 'Over');
    expect(over).toMatchObject({ status: 409, body: { code: 'roster_full' } });
    expect(over.body.message).toContain(MAX_ROSTER_PATIENTS.toLocaleString('en'));
    expect(over.body.message).toContain('room for 2 more');
    expect(over.body.message).toContain('nothing was imported');
    expect(await held()).toBe(MAX_ROSTER_PATIENTS - 2);

    expect(await importRows(1, 'Fits')).toMatchObject({ status: 201, body: { imported: 1 } });
    expect((await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Last one in', values: {} })).status).toBe(201);
    const refused = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'One too many', values: {} });
    expect(refused).toMatchObject({ status: 409, body: { code: 'roster_full' } });
    expect(refused.body.message).toContain(MAX_ROSTER_PATIENTS.toLocaleString('en'));
    expect(await importRows(1, 'Full')).toMatchObject({ status: 409, body: { code: 'roster_full' } });
    expect(await held()).toBe(MAX_ROSTER_PATIENTS);
    const names = ((await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients as { name: string }[]).map((p) => p.name);
    expect(names.filter((n) => /^(Over|Full) |One too many/.test(n))).toEqual([]);

    const trail = (await server.trail()).filter((e) => e.operation === 'PatientDetailsEdit' && e.teamId === who.team.id && e.outcome === 'failure');
    expect(trail.map((e) => [e.status, e.userId === who.member ? 'member' : 'owner'])).toEqual([
      [409, 'owner'],
      [409, 'member'],
      [409, 'owner'],
    ]);
  });
});
