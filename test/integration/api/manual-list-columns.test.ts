import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import type { Json } from '../../helpers/json';
import { cast } from '../../helpers/test-server';

/**
 * A Manual-mode team's fields as list columns, through the API on both stores: the list answers
 * each field's value and the team's fields (for the tab to head and sort them), the CSV heads each
 * field by its label, and a field removed while a list shows it reads as removed, not as a crash.
 */
const fields = [
  { id: 'status', label: 'Status', type: 'choice', choices: ['Stable', 'Watch', 'Critical'], colours: { Critical: 'red' } },
  { id: 'weight', label: 'Weight', type: 'number', unit: 'kg' },
  { id: 'isolation', label: 'Isolation', type: 'yesNo' },
  { id: 'nurse', label: 'Assigned nurse', type: 'person' },
  { id: 'spare', label: 'Spare', type: 'text' },
];

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let who: ReturnType<typeof cast>;
  let base: string;
  let listId: string;
  let ids: string[];

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    base = `/api/teams/${who.team.id}`;
    expect((await server.call(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    expect((await server.call(who.owner, 'PUT', `${base}/schema`, { fields, version: 0 })).status).toBe(200);
    const a = await server.call(who.member, 'POST', `${base}/manual-patients`, {
      name: 'Ada Lovelace',
      values: { status: 'Critical', weight: 61.5, isolation: true, nurse: { id: who.member } },
    });
    const b = await server.call(who.member, 'POST', `${base}/manual-patients`, { name: 'Alan Turing', values: { status: 'Stable', weight: 80 } });
    ids = [a.body.id as string, b.body.id as string];
    listId = (await server.call(who.member, 'POST', `${base}/lists`, { name: 'Ward 4' })).body.id as string;
    await server.call(who.member, 'POST', `${base}/lists/${listId}/patients`, { patientIds: ids });
    const set = await server.call(who.member, 'PATCH', `${base}/lists/${listId}`, {
      columns: ['name', 'field:status', 'field:weight', 'field:isolation', 'field:nurse', 'field:spare'],
    });
    expect(set.status).toBe(200);
  }, 60_000);
  afterAll(() => server?.stop());

  it('answers every field column’s value, with the team’s fields', async () => {
    const view = (await server.call(who.member, 'GET', `${base}/lists/${listId}`)).body as unknown as {
      fields: { id: string }[];
      rows: { patientId: string; cells: Json }[];
    };
    expect(view.fields.map((f) => f.id)).toEqual(fields.map((f) => f.id));
    const nurse = server.info.users.find((u) => u.id === who.member)!.name;
    expect(view.rows.map((r) => [r.patientId, r.cells])).toEqual([
      [
        ids[0],
        {
          'field:status': { status: 'ok', value: 'Critical' },
          'field:weight': { status: 'ok', value: 61.5 },
          'field:isolation': { status: 'ok', value: true },
          'field:nurse': { status: 'ok', value: { id: who.member, name: nurse } },
          'field:spare': { status: 'none' },
        },
      ],
      [
        ids[1],
        {
          'field:status': { status: 'ok', value: 'Stable' },
          'field:weight': { status: 'ok', value: 80 },
          'field:isolation': { status: 'none' },
          'field:nurse': { status: 'none' },
          'field:spare': { status: 'none' },
        },
      ],
    ]);
  });

  it('exports a heading per field label and each value in words', async () => {
    const csv = (await server.call(who.member, 'GET', `${base}/lists/${listId}/export.csv`)).body as string;
    const lines = csv.replace('\uFEFF', '').split('\r\n');
    expect(lines[0]).toBe('Name,Status,Weight,Isolation,Assigned nurse,Spare');
    expect(lines[1]).toMatch(/^Ada Lovelace,Critical,61\.5,Yes,[^,]+,None recorded$/);
  });

  it('reads a field removed from the schema as removed, and the list still opens and exports', async () => {
    const schema = (await server.call(who.owner, 'GET', `${base}/schema`)).body as { version: number };
    const kept = fields.filter((f) => f.id !== 'spare');
    expect((await server.call(who.owner, 'PUT', `${base}/schema`, { fields: kept, version: schema.version })).status).toBe(200);
    const view = (await server.call(who.member, 'GET', `${base}/lists/${listId}`)).body as unknown as {
      columns: string[];
      fields: { id: string }[];
      rows: { cells: Json }[];
    };
    expect(view.columns).toContain('field:spare');
    expect(view.fields.map((f) => f.id)).not.toContain('spare');
    expect(view.rows[0].cells['field:spare']).toEqual({ status: 'unavailable', reason: 'not_offered' });
    const csv = (await server.call(who.member, 'GET', `${base}/lists/${listId}/export.csv`)).body as string;
    expect(csv.replace('\uFEFF', '').split('\r\n')[0]).toBe('Name,Status,Weight,Isolation,Assigned nurse,spare (removed field)');
    // Saving the columns without it is accepted; keeping it is refused in plain words.
    const refused = await server.call(who.member, 'PATCH', `${base}/lists/${listId}`, { columns: ['name', 'field:spare'] });
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.message).toContain('Unknown column “field:spare”');
  });
});
