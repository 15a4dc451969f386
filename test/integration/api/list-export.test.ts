import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vitalFlag } from '../../../contract/vital-ranges';
import type { Json } from '../../helpers/json';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * The list's CSV download as the tab gets it in Teams: a short-lived link with a single-use
 * ticket (no Bearer token on the download), each vital sign's value, unit, time and flag in
 * columns of their own, and times in the user's time zone in a form spreadsheets sort.
 */
let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let listId: string;
let patientIds: string[];
const reader = () => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
// No summer time in Kolkata: every reading is 5 h 30 min ahead of UTC.
const zone = 'Asia/Kolkata';
const kolkata = (epochMs: number) => new Date(epochMs + 5.5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'R4' });
  const patients = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=4`)).body.patients as { id: string }[];
  patientIds = patients.map((p) => p.id);
  listId = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Ward 4B' })).body.id;
  await server.api(who.member, 'PATCH', `${base}/lists/${listId}`, {
    columns: ['name', 'mrn', 'heartRate', 'bloodPressure', 'temperature', 'admissionDate', 'latestNote'],
  });
  await server.api(who.member, 'POST', `${base}/lists/${listId}/patients`, { patientIds });
  await server.api(who.member, 'POST', `${base}/patients/${patientIds[0]}/notes`, { text: 'Seen on rounds' });
});
afterAll(() => server?.stop());

const askLink = (user: string, body: unknown, team = base, list = listId) => server.api(user, 'POST', `${team}/lists/${list}/export`, body);

/** The download as Teams' browser opens it: no Authorization header. */
async function download(url: string) {
  const res = await fetch(`${server.url}${url}`);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  return { res, text, requestId: res.headers.get('x-request-id')! };
}

async function eventsOf(requestId: string) {
  const res = await server.api(reader(), 'GET', '/api/audit?limit=50000');
  return (res.body.events as { requestId: string; operation: string; outcome: string; patientId: string | null; userId: string }[]).filter(
    (e) => e.requestId === requestId,
  );
}

const parse = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('a download link', () => {
  it('answers the CSV once, without a token, with each vital sign in value, unit, time and flag columns in the user zone', async () => {
    const before = Date.now();
    const link = await askLink(who.member, { timeZone: zone });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(new RegExp(`^${base}/lists/${listId}/export/[A-Za-z0-9_-]{43}$`));
    const expiresIn = Date.parse(link.body.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(50_000);
    expect(expiresIn).toBeLessThanOrEqual(61_000);

    const { res, text, requestId } = await download(link.body.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Ward 4B\.csv"/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const [header, ...rows] = parse(text);
    expect(header).toEqual([
      'Name',
      'MRN',
      'Heart rate',
      'Heart rate unit',
      `Heart rate time (${zone})`,
      'Heart rate flag',
      'Blood pressure systolic',
      'Blood pressure diastolic',
      'Blood pressure unit',
      `Blood pressure time (${zone})`,
      'Blood pressure flag',
      'Temperature',
      'Temperature unit',
      `Temperature time (${zone})`,
      'Temperature flag',
      `Admission date (${zone})`,
      `Latest note (${zone})`,
    ]);
    expect(rows).toHaveLength(patientIds.length);

    // The same values the tab shows, from the list view, and the tab's flag rule.
    const view = (await server.api(who.member, 'GET', `${base}/lists/${listId}`)).body;
    const words = { low: 'Low', high: 'High', criticalLow: 'Critical low', criticalHigh: 'Critical high' } as const;
    const flagged = (kind: string, m: { value: number; unit: string } | null) => {
      const flag = m ? vitalFlag(kind, m.value, m.unit) : null;
      return flag ? words[flag] : '';
    };
    view.rows.forEach((row: { cells: Record<string, { status: string; value?: Json }> }, i: number) => {
      const cells = Object.fromEntries(header.map((h, j) => [h, rows[i][j]]));
      for (const [kind, heading] of [
        ['heartRate', 'Heart rate'],
        ['temperature', 'Temperature'],
      ] as const) {
        const cell = row.cells[kind];
        if (cell.status !== 'ok') {
          expect(cells[heading]).toBe(cell.status === 'none' ? 'None recorded' : 'Not available');
          continue;
        }
        expect(Number(cells[heading])).toBe(cell.value.value.value);
        expect(cells[`${heading} unit`]).toBe(cell.value.value.unit);
        expect(cells[`${heading} time (${zone})`]).toBe(kolkata(cell.value.time.epochMs));
        expect(cells[`${heading} flag`]).toBe(flagged(kind, cell.value.value));
      }
      const bp = row.cells.bloodPressure;
      if (bp.status === 'ok') {
        expect(Number(cells['Blood pressure systolic'])).toBe(bp.value.systolic.value);
        expect(Number(cells['Blood pressure diastolic'])).toBe(bp.value.diastolic.value);
        expect(cells['Blood pressure unit']).toBe('mmHg');
        expect(cells[`Blood pressure time (${zone})`]).toBe(kolkata(bp.value.time.epochMs));
        expect(cells['Blood pressure flag']).toBe(flagged('systolic', bp.value.systolic));
      }
    });
    // Some reading is there to be checked, and its time is what a spreadsheet sorts.
    expect(rows.some((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[header.indexOf(`Heart rate time (${zone})`)]))).toBe(true);
    const note = view.rows[0].cells.latestNote.value;
    expect(text).toContain(`,"Seen on rounds (${note.authorName}, ${kolkata(Date.parse(note.createdAt))})"`);

    // The export of every patient on the list, recorded for the member who asked for the link.
    const events = await eventsOf(requestId);
    expect(events.map((e) => e.patientId).sort()).toEqual([...patientIds].sort());
    expect(events.every((e) => e.operation === 'ExportInitiation' && e.outcome === 'success' && e.userId === who.member)).toBe(true);

    // Used once: the same link again is refused in plain words, and nothing more is recorded as exported.
    const again = await download(link.body.url);
    expect(again.res.status).toBe(404);
    expect(JSON.parse(again.text)).toMatchObject({ code: 'not_found', message: expect.stringMatching(/used already/) });
    expect(again.text).not.toContain(patientIds[0]);
    expect((await eventsOf(again.requestId)).filter((e) => e.outcome === 'success')).toEqual([]);
  });

  it('is bound to its team and list: another tenant team or another list in the link is refused, and the ticket is spent', async () => {
    const link = (await askLink(who.member, { timeZone: 'UTC' })).body;
    const otherTenant = link.url.replace(who.team.id, who.otherTenantTeam.id);
    const elsewhere = await download(otherTenant);
    expect(elsewhere.res.status).toBe(404);
    expect(elsewhere.text).not.toContain('Name,MRN');
    expect((await download(link.url)).res.status).toBe(404);

    const other = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Other' })).body.id;
    const second = (await askLink(who.member, { timeZone: 'UTC' })).body;
    expect((await download(second.url.replace(`/lists/${listId}/`, `/lists/${other}/`))).res.status).toBe(404);
    expect((await download(second.url)).res.status).toBe(404);
  });

  it('is refused a forged or malformed ticket in plain words', async () => {
    for (const ticket of ['A'.repeat(43), 'short', '..%2F..']) {
      const { res, text } = await download(`${base}/lists/${listId}/export/${ticket}`);
      expect(res.status).toBe(404);
      expect(text).not.toContain('Name,MRN');
    }
  });

  it('answers GET only: a request for the headers alone (a link checker, a proxy) is refused and leaves the link to download', async () => {
    const link = (await askLink(who.member, { timeZone: 'UTC' })).body;
    const head = await fetch(`${server.url}${link.url}`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    const got = await download(link.url);
    expect(got.res.status).toBe(200);
    expect(got.text).toContain('Name,MRN');
  });

  it('is never answered "not modified": a conditional GET gets the whole download, and so does every API read', async () => {
    // A 304 has no body: the trail would record a download given and the link would be used up.
    // Sent as curl or a proxy sends them (fetch adds Cache-Control: no-cache to a conditional request).
    const get = async (path: string, headers: Record<string, string>) => {
      const res = await request(`${server.url}${path}`, { headers });
      return { status: res.statusCode, etag: res.headers.etag as string | undefined, text: await res.body.text() };
    };
    const link = (await askLink(who.member, { timeZone: 'UTC' })).body;
    const got = await get(link.url, { 'if-none-match': '*', 'if-modified-since': new Date().toUTCString() });
    expect(got.status).toBe(200);
    expect(got.text).toContain('Name,MRN');
    const authorization = `Bearer ${await server.tokenFor(who.member)}`;
    for (const path of [`${base}/lists/${listId}`, `${base}/lists/${listId}/export.csv?timeZone=UTC`, `${base}/patients/${patientIds[0]}/notes`]) {
      // With the ETag the answer gave, too: the conditional request is answered in full all the same.
      const { etag } = await get(path, { authorization });
      for (const condition of [{ 'if-none-match': '*' }, ...(etag ? [{ 'if-none-match': etag }] : [])]) {
        const again = await get(path, { authorization, ...condition });
        expect({ path, status: again.status }).toEqual({ path, status: 200 });
        expect(again.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('is only given to a member of the team, for a list of the team; a refused request for a link is on the trail', async () => {
    expect((await askLink(who.outsider, { timeZone: 'UTC' }, `/api/teams/${who.closedTeam.id}`)).status).toBe(403);
    const trail = await server.api(reader(), 'GET', `/api/audit?operation=ExportInitiation&user=${who.outsider}&limit=50000`);
    expect(trail.body.events).toContainEqual(expect.objectContaining({ outcome: 'failure', status: 403, teamId: who.closedTeam.id }));
    expect((await askLink(who.otherTenantOwner, { timeZone: 'UTC' })).status).toBe(404);
    const missing = await askLink(who.member, { timeZone: 'UTC' }, base, '00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ status: 404, body: { code: 'list_not_found' } });
  });

  it('refuses a time zone Intl does not know, in plain words, and issues no link', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', 'GMT+25', '', 'Europe/London; DROP']) {
      const res = await askLink(who.member, { timeZone });
      expect(res.status, timeZone).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body)).not.toContain('/export/');
    }
    expect((await askLink(who.member, {})).status).toBe(400);
    const bad = await askLink(who.member, { timeZone: 'Mars/Olympus_Mons' });
    expect(bad.body.message).toMatch(/time zone/i);
  });
});

describe('the CSV read with a Bearer token', () => {
  it('writes times in the zone asked for, and UTC when none is', async () => {
    const token = await server.tokenFor(who.member);
    const read = async (query: string) =>
      (await fetch(`${server.url}${base}/lists/${listId}/export.csv${query}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(parse(await read(''))[0]).toContain('Heart rate time (UTC)');
    expect(parse(await read('?timeZone=Asia/Kolkata'))[0]).toContain(`Heart rate time (${zone})`);
    const bad = await fetch(`${server.url}${base}/lists/${listId}/export.csv?timeZone=Nowhere/Land`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
  });
});
