import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKBOOK_READS_AT_ONCE, workbookReads } from '../../../server/features/manual/import-file';
import { UPLOADS_PER_USER_AT_ONCE, uploadsReceived } from '../../../server/features/manual/import-routes';
import { workbook } from '../../helpers/import-files';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Workbooks are read a few at a time per process: an upload that finds every place taken is
 * answered at once, 503 with Retry-After, and is never queued; CSV files pass meanwhile, and the
 * places are given back however a read ends.
 */
let server: TestServer;
let base: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const { team, owner } = cast(server.info);
  base = `/api/teams/${team.id}`;
  expect((await server.api(owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
  token = await server.tokenFor(owner);
});
afterAll(() => server?.stop());

const upload = (file: Buffer, name: string) =>
  fetch(`${server.url}${base}/manual-import/file`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
    body: new Uint8Array(file),
  });

/** Takes every place of the gate, as workbooks being read would, until `release` is called. */
function takeEveryPlace() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reads = Array.from({ length: WORKBOOK_READS_AT_ONCE }, () => workbookReads.run(() => released));
  return { release: async () => (release(), await Promise.all(reads)) };
}

describe('reading workbooks a few at a time', () => {
  it('answers an upload that finds every place taken with 503 and Retry-After, at once, and reads it when a place is free', async () => {
    const file = await workbook([['Name'], ['Ada Lovelace']]);
    const held = takeEveryPlace();
    try {
      const started = performance.now();
      const busy = await upload(file, 'ward.xlsx');
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('5');
      expect(await busy.json()).toMatchObject({
        code: 'too_much_contention',
        message: 'Another Excel workbook is being read right now. Try again in a few seconds (or save the file as CSV UTF-8 and upload that).',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      // A CSV file is not held back by workbooks being read.
      expect((await upload(Buffer.from('Name\nAda Lovelace\n'), 'ward.csv')).status).toBe(200);
    } finally {
      await held.release();
    }
    expect(workbookReads.running).toBe(0);
    const read = await upload(file, 'ward.xlsx');
    expect(read.status).toBe(200);
    expect(read.headers.get('retry-after')).toBeNull();
    expect(await read.json()).toMatchObject({ rowCount: 1, columns: ['Name'] });
  });

  it('gives the place back when a workbook is refused or cannot be read', async () => {
    const refused = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]), 'broken.xlsx');
    expect(refused.status).toBe(400);
    const wide = await workbook([], (sheet) => (sheet.getCell('XFD1').value = 'x'));
    expect((await upload(wide, 'wide.xlsx')).status).toBe(400);
    expect(workbookReads.running).toBe(0);
    // As many uploads at once as there are places are all read.
    const file = await workbook([['Name'], ['Grace Hopper']]);
    const answers = await Promise.all(Array.from({ length: WORKBOOK_READS_AT_ONCE }, () => upload(file, 'ward.xlsx')));
    expect(answers.map((a) => a.status)).toEqual(Array(WORKBOOK_READS_AT_ONCE).fill(200));
    expect(workbookReads.running).toBe(0);
  });
});

/** An upload whose body arrives in two parts: the first at once, the rest when `finish` is called; its answer's status. */
function slowUpload(userToken: string, teamBase: string, file: Buffer) {
  let finish!: () => void;
  const status = new Promise<number>((resolve, reject) => {
    const req = request(
      `${server.url}${teamBase}/manual-import/file`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${userToken}`,
          'content-type': 'application/octet-stream',
          'x-file-name': 'ward.csv',
          'content-length': String(file.length),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(file.subarray(0, 5));
    finish = () => req.end(file.subarray(5));
  });
  return { status, finish: () => finish() };
}

describe('uploads being received at once', () => {
  it("refuses one user's upload past their share at once, before reading it, while other users still upload", async () => {
    const { owner } = cast(server.info);
    const csv = Buffer.from('Name\nAda Lovelace\n');
    const held = Array.from({ length: UPLOADS_PER_USER_AT_ONCE }, () => slowUpload(token, base, csv));
    try {
      await expect.poll(() => uploadsReceived.running).toBe(UPLOADS_PER_USER_AT_ONCE);
      const started = performance.now();
      const refused = await upload(csv, 'ward.csv');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({
        code: 'too_much_contention',
        message: 'Your other files are still being uploaded. Wait for them to finish, then try again.',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      // Another owner's upload is not held back by this user's.
      const other = server.info.tenants[0].teams.find((t) => !t.owners.includes(owner))!;
      const otherBase = `/api/teams/${other.id}`;
      expect((await server.api(other.owners[0], 'PUT', `${otherBase}/connection`, { mode: 'manual' })).status).toBe(200);
      const theirs = await fetch(`${server.url}${otherBase}/manual-import/file`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await server.tokenFor(other.owners[0])}`,
          'content-type': 'application/octet-stream',
          'x-file-name': 'ward.csv',
        },
        body: new Uint8Array(csv),
      });
      expect(theirs.status).toBe(200);
    } finally {
      for (const upload of held) upload.finish();
    }
    expect(await Promise.all(held.map((h) => h.status))).toEqual(Array(UPLOADS_PER_USER_AT_ONCE).fill(200));
    expect(uploadsReceived.running).toBe(0);
    // The places are given back: the user uploads again.
    expect((await upload(csv, 'ward.csv')).status).toBe(200);
  });
});
