import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClinicalRows, FhirError, type EhrGateway, type PatientClinical } from '../../../../server/ehr/index';
import { errorHandler } from '../../../../server/platform/error-handler';
import { buildListView, sendListView } from '../../../../server/features/lists/list-view';
import type { ListToShow } from '../../../../server/features/lists/list-service';
import { openSqliteStore } from '../../../../server/storage/sqlite/sqlite-store';
import type { TeamStore } from '../../../../server/storage/ports';
import { captureLogs } from '../../../helpers/log-capture';
import { valueOf } from '../../../../server/features/shared/outcomes';

const team = { tenantId: 'tenant-a', teamId: 'team-1' };
/** What the server logs: an EHR failure as its code, an internal error as its class and frames. */
const logged = captureLogs();
const logLines = () => logged.map((line) => JSON.parse(line) as Record<string, unknown>);
const clinical = (id: string, pulse: number): PatientClinical => ({
  patient: { id, displayName: `Patient ${id}`, mrn: `M-${id}`, birthDate: '1970-01-01', gender: 'female' },
  careProvider: { status: 'none' },
  vitals: {
    status: 'ok',
    value: {
      heartRate: {
        kind: 'heartRate',
        time: { text: '2026-11-30T08:00:00Z', epochMs: Date.UTC(2026, 10, 30, 8) },
        value: { value: pulse, unit: 'beats/minute' },
      },
    },
  },
  warnings: [],
});

/**
 * An EHR read that completes p1 while it is still going, then p2 at the end. The map it ends with
 * carries a later reading for p1, so the test sees which of the two the list sent. The last batch
 * waits for `lastBatch` (or one second), so a test can hold it back.
 */
function ehrAnswering(events: string[], lastBatch: Promise<unknown> = Promise.resolve()): EhrGateway {
  return {
    async readClinical(_base, _tenant, _ids, _parts, onRow) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      onRow?.(clinical('p1', 61));
      events.push('p1 handed on');
      await Promise.race([lastBatch, new Promise((resolve) => setTimeout(resolve, 1000))]);
      events.push('last batch in');
      return new ClinicalRows([
        ['p1', clinical('p1', 99)],
        ['p2', clinical('p2', 72)],
      ]);
    },
  } as EhrGateway;
}

let dir: string;
let store: TeamStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-view-'));
  store = openSqliteStore(join(dir, 'patients.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Serves one list view as the list routes do, on a free port; `recordRead` and `recordFailed` stand for the read's audit records. */
async function serve(
  ehr: EhrGateway,
  listId: string,
  recordRead: ListToShow['recordRead'] = async () => undefined,
  recordFailed: ListToShow['recordFailed'] = async () => undefined,
) {
  const app = express()
    .get('/view', async (_req, res) => sendListView(res, store, ehr, team, { list: (await store.getList(team, listId))!, recordRead, recordFailed }))
    .use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/view`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** `serve`, keeping the read's records in `recorded` in the order written: ['read', failed] and ['failed', failed]. */
async function serveRecording(ehr: EhrGateway, listId: string) {
  const recorded: unknown[] = [];
  const server = await serve(
    ehr,
    listId,
    async (failed) => void recorded.push(['read', failed]),
    async (failed) => void recorded.push(['failed', failed]),
  );
  return { ...server, recorded };
}

async function rounds() {
  await store.setConnection(
    team,
    { mode: 'ehr', url: 'https://ehr.example.org/fhir', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: ['Patient', 'Observation'] },
    'u1',
  );
  const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
  await store.updateList(team, list.id, { columns: ['name', 'heartRate', 'latestNote'] });
  await store.addPatients(team, list.id, ['p1', 'gone', 'p2'], 'u1');
  await store.addNote(team, 'p1', { id: 'u1', name: 'Avery' }, 'Check drain');
  return (await store.getList(team, list.id))!;
}

describe('the list view', () => {
  it('keeps the rows built while the EHR was still answering, builds the rest at the end, in list order', async () => {
    const list = await rounds();
    const events: string[] = [];
    const view = await buildListView(store, ehrAnswering(events), team, list, (row) => events.push(`row ${row.patientId} built`));
    expect(events).toEqual(['row p1 built', 'p1 handed on', 'last batch in']);
    expect(view.rows.map((r) => r.patientId)).toEqual(['p1', 'gone', 'p2']);
    expect(view.rows[0]).toMatchObject({
      displayName: 'Patient p1',
      cells: { heartRate: { status: 'ok', value: { value: { value: 61 } } }, latestNote: { status: 'ok', value: { text: 'Check drain' } } },
    });
    expect(view.rows[2].cells.heartRate).toEqual({
      status: 'ok',
      value: { time: { text: '2026-11-30T08:00:00Z', epochMs: Date.UTC(2026, 10, 30, 8) }, value: { value: 72, unit: 'beats/minute' } },
    });
    expect(view.rows[1]).toMatchObject({ available: false, cells: { heartRate: { status: 'unavailable' } } });
  });

  it('commits the audit record of the read once the first rows are ready, before any of the list goes out', async () => {
    const list = await rounds();
    const events: string[] = [];
    const slowEhr = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        events.push('EHR read started');
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push('first answer in');
        onRow?.(clinical('p1', 61));
        return new ClinicalRows([['p1', clinical('p1', 61)]]);
      },
    } as unknown as EhrGateway;
    const server = await serve(slowEhr, list.id, async () => void events.push('audit record committed'));
    try {
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' } });
      events.push(`answer ${res.status}`);
      expect(await res.text()).toContain('Patient p1');
      // Not while the EHR works: its outcome for the rows is known only once they are in.
      expect(events).toEqual(['EHR read started', 'first answer in', 'audit record committed', 'answer 200']);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['while the EHR is still answering', 20],
    ['when the EHR answers at once', 0],
  ])('fails the call with nothing of the list sent when the audit record cannot be written %s', async (_when, ms) => {
    const list = await rounds();
    const events: string[] = [];
    const ehr = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
        onRow?.(clinical('p1', 61));
        events.push('row handed on');
        return new ClinicalRows([['p1', clinical('p1', 61)]]);
      },
    } as unknown as EhrGateway;
    const server = await serve(ehr, list.id, async () => {
      throw new Error('disk I/O error');
    });
    try {
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' } });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toMatchObject({ code: 'internal_error' });
      expect(text).not.toContain('p1');
      expect(text).not.toContain('Rounds');
      // The EHR read, once started, may finish; its rows are never sent.
      await new Promise((resolve) => setTimeout(resolve, ms + 20));
      expect(events).toEqual(['row handed on']);
    } finally {
      await server.close();
    }
  });

  it('sends the first rows while the EHR is still answering, and the whole view as JSON at the end', async () => {
    const list = await rounds();
    const events: string[] = [];
    let release!: () => void;
    const server = await serve(ehrAnswering(events, new Promise<void>((resolve) => (release = resolve))), list.id);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"${list.version}"`);
      const reader = res.body!.getReader();
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        text += new TextDecoder().decode(chunk.value);
        if (text.includes('Patient p1') && !events.includes('client has p1')) {
          events.push('client has p1');
          release();
        }
      }
      expect(events).toEqual(['p1 handed on', 'client has p1', 'last batch in']);
      const sent = JSON.parse(text);
      expect(sent).toMatchObject({ id: list.id, name: 'Rounds', columns: ['name', 'heartRate', 'latestNote'], version: list.version });
      expect(sent.ehrError).toBeUndefined();
      expect(sent.rows.map((r: { patientId: string }) => r.patientId)).toEqual(['p1', 'gone', 'p2']);
      expect(sent.rows[0].cells.heartRate.value.value.value).toBe(61);
      expect(sent.rows[2].cells.heartRate.value.value.value).toBe(72);
    } finally {
      await server.close();
    }
  });

  it('sends the line-by-line form to a client that asks for it: the head, a line per row as it is built, then the end', async () => {
    const list = await rounds();
    const events: string[] = [];
    let release!: () => void;
    const server = await serve(ehrAnswering(events, new Promise<void>((resolve) => (release = resolve))), list.id);
    try {
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(res.headers.get('vary')).toMatch(/Accept/);
      const reader = res.body!.getReader();
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        text += new TextDecoder().decode(chunk.value);
        if (text.includes('{"row":') && !events.includes('client has a row line')) {
          events.push('client has a row line');
          release();
        }
      }
      expect(events).toEqual(['p1 handed on', 'client has a row line', 'last batch in']);
      expect(text.endsWith('\n')).toBe(true);
      const lines = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines[0]).toEqual({ list: { id: list.id, name: 'Rounds', columns: ['name', 'heartRate', 'latestNote'], version: list.version } });
      expect(lines.slice(1, -1).map((line) => line.row.patientId)).toEqual(['p1', 'gone', 'p2']);
      expect(lines.at(-1)).toEqual({ end: {} });
    } finally {
      await server.close();
    }
  });

  it('puts an EHR failure in the end line of the line-by-line form', async () => {
    const list = await rounds();
    const failing = {
      async readClinical() {
        throw new FhirError('ehr_unreachable', 'The EHR at https://ehr.example.org could not be reached.');
      },
    } as unknown as EhrGateway;
    const server = await serve(failing, list.id);
    try {
      const text = await (await fetch(server.url, { headers: { accept: 'application/x-ndjson' } })).text();
      const lines = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.slice(1, -1).map((line) => [line.row.patientId, line.row.available])).toEqual([
        ['p1', false],
        ['gone', false],
        ['p2', false],
      ]);
      expect(lines.at(-1)).toEqual({
        end: { ehrError: { code: 'ehr_unreachable', message: 'The EHR at https://ehr.example.org could not be reached.' } },
      });
    } finally {
      await server.close();
    }
  });

  it("records a read whose EHR failed before any row went out as a failure of each patient, with the EHR error's status", async () => {
    const list = await rounds();
    const failing = {
      async readClinical() {
        throw new FhirError('ehr_unreachable', 'The EHR at https://ehr.example.org could not be reached.');
      },
    } as unknown as EhrGateway;
    const { recorded, ...server } = await serveRecording(failing, list.id);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect((await res.json()).ehrError.code).toBe('ehr_unreachable');
      // One commit, before anything went out: no success for a patient whose row the EHR did not give.
      expect(recorded).toEqual([['read', [{ patientIds: ['p1', 'gone', 'p2'], status: 502 }]]]);
    } finally {
      await server.close();
    }
  });

  it('appends failure records for the rows that go out unavailable when the EHR fails after the first rows went out', async () => {
    const list = await rounds();
    const events: string[] = [];
    const recorded: unknown[] = [];
    const failsLate = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        onRow?.(clinical('p1', 61));
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new FhirError('ehr_timeout', 'The EHR took too long to answer.');
      },
    } as unknown as EhrGateway;
    const server = await serve(
      failsLate,
      list.id,
      async (failed) => void recorded.push(['read', failed]),
      async (failed) => {
        events.push('failures recorded');
        recorded.push(['failed', failed]);
      },
    );
    try {
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' } });
      const reader = res.body!.getReader();
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        text += new TextDecoder().decode(chunk.value);
        if (text.includes('{"end":') && !events.includes('end line in')) events.push('end line in');
      }
      expect(text).toContain('Patient p1');
      // Success for every patient when the first row went out; then the failures, before the end line.
      expect(recorded).toEqual([
        ['read', undefined],
        ['failed', { patientIds: ['gone', 'p2'], status: 504 }],
      ]);
      expect(events).toEqual(['failures recorded', 'end line in']);
    } finally {
      await server.close();
    }
  });

  it('records no success while a row built early cannot go out before the rows above it, and the EHR then fails them', async () => {
    const list = await rounds();
    const lastFirst = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        // The batch of the list's last patient answers first; the one of the first patients times out.
        onRow?.(clinical('p2', 72));
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new FhirError('ehr_timeout', 'The EHR took too long to answer.');
      },
    } as unknown as EhrGateway;
    const { recorded, ...server } = await serveRecording(lastFirst, list.id);
    try {
      const text = await (await fetch(server.url, { headers: { accept: 'application/x-ndjson' } })).text();
      expect(text).toContain('Patient p2');
      // One commit once the outcome is known: success for p2 (given), failure for the others, never success for them.
      expect(recorded).toEqual([['read', [{ patientIds: ['p1', 'gone'], status: 504 }]]]);
    } finally {
      await server.close();
    }
  });

  it('records the patients whose rows a client that went away mid-list was not sent as not given (499)', async () => {
    const list = await rounds();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { recorded, ...server } = await serveRecording(ehrAnswering([], held), list.id);
    try {
      const controller = new AbortController();
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' }, signal: controller.signal });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain('Patient p1');
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      for (let waited = 0; recorded.length < 2 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      // p1 went out before the client left: its success stands; the others were never given.
      expect(recorded).toEqual([
        ['read', undefined],
        ['failed', { patientIds: ['gone', 'p2'], status: 499 }],
      ]);
    } finally {
      await server.close();
    }
  });

  it('records a list whose client went away before any row went out as not given, never as read', async () => {
    const list = await rounds();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = {
      async readClinical() {
        await held;
        return new ClinicalRows([['p1', clinical('p1', 61)]]);
      },
    } as unknown as EhrGateway;
    const { recorded, ...server } = await serveRecording(slow, list.id);
    try {
      const controller = new AbortController();
      const answer = fetch(server.url, { signal: controller.signal }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      for (let waited = 0; recorded.length < 1 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(recorded).toEqual([['failed', { patientIds: ['p1', 'gone', 'p2'], status: 499 }]]);
    } finally {
      await server.close();
    }
  });

  it('cuts the answer off without its end line when the failure records after the first rows cannot be written', async () => {
    const list = await rounds();
    const failsLate = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        onRow?.(clinical('p1', 61));
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new FhirError('ehr_timeout', 'The EHR took too long to answer.');
      },
    } as unknown as EhrGateway;
    const server = await serve(failsLate, list.id, undefined, async () => {
      throw new Error('disk I/O error');
    });
    try {
      const res = await fetch(server.url, { headers: { accept: 'application/x-ndjson' } });
      expect(res.status).toBe(200);
      const text = await res.text().catch(() => 'cut off');
      expect(text).not.toContain('{"end":');
    } finally {
      await server.close();
    }
  });

  it('sends the rows one EHR answer completes in one write, the opening with them', async () => {
    const list = await rounds();
    const oneAnswer = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        // One batch answer read: both its patients' rows are built in one go.
        onRow?.(clinical('p1', 61));
        onRow?.(clinical('gone', 70));
        onRow?.(clinical('p2', 72));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return new ClinicalRows([
          ['p1', clinical('p1', 61)],
          ['gone', clinical('gone', 70)],
          ['p2', clinical('p2', 72)],
        ]);
      },
    } as unknown as EhrGateway;
    const writes: string[] = [];
    const app = express()
      .get('/view', async (_req, res) => {
        const write = res.write.bind(res) as (chunk: string) => boolean;
        res.write = ((chunk: string) => (writes.push(chunk), write(chunk))) as typeof res.write;
        await sendListView(res, store, oneAnswer, team, {
          list: (await store.getList(team, list.id))!,
          recordRead: async () => undefined,
          recordFailed: async () => undefined,
        });
      })
      .use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/view`;
      const text = await (await fetch(url, { headers: { accept: 'application/x-ndjson' } })).text();
      expect(text.trimEnd().split('\n')).toHaveLength(5);
      // Before the end: one write with the opening and the three rows.
      expect(writes).toHaveLength(1);
      expect(writes[0].split('\n').map((line) => Object.keys(JSON.parse(line || '{}'))[0])).toEqual(['list', 'row', 'row', 'row', undefined]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('puts an EHR failure after the rows, which then carry ids only', async () => {
    const list = await rounds();
    const failing = {
      async readClinical() {
        throw new FhirError('ehr_unreachable', 'The EHR at https://ehr.example.org could not be reached.');
      },
    } as unknown as EhrGateway;
    const server = await serve(failing, list.id);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      const sent = await res.json();
      expect(sent.rows.map((r: { patientId: string; available: boolean }) => [r.patientId, r.available])).toEqual([
        ['p1', false],
        ['gone', false],
        ['p2', false],
      ]);
      expect(sent.ehrError).toEqual({ code: 'ehr_unreachable', message: 'The EHR at https://ehr.example.org could not be reached.' });
      expect(logLines()).toEqual([expect.objectContaining({ level: 40, code: 'ehr_unreachable', msg: 'list rows could not be read from the EHR' })]);
    } finally {
      await server.close();
    }
  });

  it('cuts a view off that fails after its first rows went out, so it never reads as a complete list', async () => {
    const list = await rounds();
    const broken = {
      async readClinical(_base: string, _tenant: string, _ids: string[], _parts: unknown, onRow?: (row: PatientClinical) => void) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        onRow?.(clinical('p1', 61));
        await new Promise((resolve) => setTimeout(resolve, 20));
        // A row the list cannot be built from: an internal error after the answer started.
        return new ClinicalRows([['p2', { ...clinical('p2', 72), patient: undefined } as unknown as PatientClinical]]);
      },
    } as unknown as EhrGateway;
    const server = await serve(broken, list.id);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      expect(logLines()).toEqual([
        expect.objectContaining({ level: 50, msg: 'unhandled error', err: expect.objectContaining({ name: 'TypeError' }) }),
      ]);
    } finally {
      await server.close();
    }
  });
});
