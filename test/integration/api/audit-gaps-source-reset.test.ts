import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { memberEdits } from '../../helpers/graph-member-edits';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';
import { cast } from '../../helpers/test-server';

/**
 * A gap an outside review found: a connection that reads `unset` (a team member edited its sealed
 * settings row in SharePoint, or a row written before sealing) told no source, and a source set
 * over it was taken for a team's first: no confirmation, nothing taken off the lists, no removal
 * recorded, and the old source's notes shown again. An unknown source is a changed source.
 */
interface Event {
  operation: string;
  outcome: string;
  status: number;
  userId: string;
  patientId: string | null;
  listId: string | null;
}

let production: ProductionHarness;
let who: ReturnType<typeof cast>;
let base = '';
beforeAll(async () => {
  production = await startProductionHarness(devDirectory);
  who = cast(production.info);
  base = `/api/teams/${who.team.id}`;
}, 120_000);
afterAll(() => production?.stop());

async function trail(query: string): Promise<Event[]> {
  const reader = production.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const token = await production.tokenFor(reader, 'v2', { roles: ['Patients.AuditReader'] });
  const res = await fetch(`${production.server.url}/api/audit?${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: Event[] }).events;
}

describe('a source set over a connection that reads unset', () => {
  it('is a change of source when the team has data: confirm needed, the lists emptied (each removal recorded), the old notes hidden', async () => {
    const ehr = { mode: 'ehr', url: production.info.sandbox.fhir.r4, name: 'R4' };
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, ehr)).status).toBe(200);
    const found = await production.api(who.member, 'GET', `${base}/patients?name=a`);
    const pid = (found.body as { patients: { id: string }[] }).patients[0].id;
    const list = (await production.api(who.member, 'POST', `${base}/lists`, { name: 'Ward' })).body as { id: string };
    expect((await production.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [pid] })).status).toBe(200);
    expect((await production.api(who.member, 'POST', `${base}/patients/${pid}/notes`, { text: 'old source note' })).status).toBe(201);

    // A member edits the sealed settings row in SharePoint: the connection is not used, and reads unset.
    const member = memberEdits(production.graph, who.contoso.id, who.team.id, who.member);
    const [row] = (await member.rows('Patients app – settings')).filter((r) => r.fields.Title === 'Connection');
    await member.update('Patients app – settings', row.id, { UpdatedBy: who.member });
    expect((await production.api(who.member, 'GET', `${base}/connection`)).body).toEqual({ mode: 'unset' });

    // Unconfirmed: refused as a change of source, in counts (never the patient's id), and nothing changes.
    const refused = await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' });
    expect(refused).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });
    const message = (refused.body as { message: string }).message;
    expect(message).toContain('(1 list with 1 patient)');
    expect(message).toContain('"confirm": true');
    expect(message).not.toContain(pid);
    expect((await production.api(who.member, 'GET', `${base}/connection`)).body).toEqual({ mode: 'unset' });
    expect(((await production.api(who.member, 'GET', `${base}/lists/${list.id}`)).body as { rows: unknown[] }).rows).toHaveLength(1);
    expect(await trail('operation=PatientListRemovePatient')).toEqual([]);

    // Confirmed: the lists are emptied, each removal recorded as the owner's, and the source stamped.
    const started = Date.now();
    const changed = await production.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true });
    expect(changed.status).toBe(200);
    const sourceSince = (changed.body as { sourceSince?: string }).sourceSince;
    expect(Date.parse(sourceSince ?? '')).toBeGreaterThanOrEqual(started - 1000);
    expect(((await production.api(who.member, 'GET', `${base}/lists/${list.id}`)).body as { rows: unknown[] }).rows).toEqual([]);
    const removals = await trail('operation=PatientListRemovePatient');
    expect(removals.map((e) => [e.outcome, e.patientId, e.listId, e.userId])).toEqual([['success', pid, list.id, who.owner]]);

    // The old source's note is not shown again, not even back on the same EHR (the source changed since it was written).
    expect((await production.api(who.owner, 'PUT', `${base}/connection`, ehr)).status).toBe(200);
    const notes = await production.api(who.member, 'GET', `${base}/patients/${pid}/notes`);
    expect(notes).toMatchObject({ status: 200, body: { notes: [] } });
  }, 120_000);
});
