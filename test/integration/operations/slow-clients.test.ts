import Database from 'better-sqlite3';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { defaultHttpLimits } from '../../../server/platform/http-limits';
import { sqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';
import { auditReader } from '../../helpers/audit-records';
import { startSlowEhr } from '../../helpers/slow-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * One client cannot hold the server's connections by being slow on purpose: headers sent a byte at
 * a time, a body that trickles, or an answer it never reads are each cut once past their limit
 * (lowered here to a second or two), and what was cut changed nothing and is in the audit trail.
 */
const limits = { headersMs: 1_000, requestMs: 2_000, stalledWriteMs: 1_000 };

let server: TestServer;
let who: ReturnType<typeof cast>;
let port: number;
beforeAll(async () => {
  server = await startTestServer({}, undefined, { httpLimits: limits });
  who = cast(server.info);
  port = Number(new URL(server.url).port);
});
afterAll(() => server?.stop());

/** A raw connection: what it was sent, and when (ms after it opened) the server closed it, if within `withinMs`. */
function rawClient(withinMs: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const opened = Date.now();
  let text = '';
  const closed = new Promise<number | undefined>((resolve) => {
    const give = setTimeout(() => resolve(undefined), withinMs);
    socket.on('close', () => {
      clearTimeout(give);
      resolve(Date.now() - opened);
    });
  });
  socket.on('error', () => undefined);
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  return { socket, closed, text: () => text };
}

/** Writes `parts` one by one, `everyMs` apart, while the connection is open. */
function trickle(socket: Socket, parts: string[], everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= parts.length) return clearInterval(timer);
    socket.write(parts[i++]);
  }, everyMs);
  return () => clearInterval(timer);
}

describe('slow clients', () => {
  it('keeps Node.js from its own, longer defaults', () => {
    // Node's are 60 s for headers, 300 s for a request, none for an unread answer.
    expect(defaultHttpLimits.headersMs).toBeLessThanOrEqual(20_000);
    expect(defaultHttpLimits.requestMs).toBeLessThanOrEqual(120_000);
    expect(defaultHttpLimits.stalledWriteMs).toBeGreaterThan(0);
  });

  it('closes a connection that sends nothing once past the headers limit', async () => {
    const client = rawClient(6_000);
    const closedAfter = await client.closed;
    client.socket.destroy();
    expect(closedAfter, 'the connection was still open after 6 s').toBeDefined();
    expect(closedAfter!).toBeLessThan(limits.headersMs + 1_500);
  });

  it('cuts a client that sends its headers a line at a time (slowloris) once past the headers limit, with 408', async () => {
    const client = rawClient(6_000);
    client.socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    const stop = trickle(
      client.socket,
      Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: a\r\n`),
      200,
    );
    const closedAfter = await client.closed;
    stop();
    client.socket.destroy();
    expect(closedAfter, 'the connection was still open after 6 s').toBeDefined();
    expect(closedAfter!).toBeLessThan(limits.headersMs + 1_500);
    expect(client.text()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a body that trickles once past the request limit, and nothing is created', async () => {
    const base = `/api/teams/${who.team.id}`;
    const before = await server.api(who.owner, 'GET', `${base}/lists`);
    const body = JSON.stringify({ name: 'Trickled in' });
    const client = rawClient(8_000);
    client.socket.write(
      `POST ${base}/lists HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${await server.tokenFor(who.owner)}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const stop = trickle(client.socket, [...body], 300);
    const closedAfter = await client.closed;
    stop();
    client.socket.destroy();
    expect(closedAfter, 'the connection was still open after 8 s').toBeDefined();
    expect(closedAfter!).toBeLessThan(limits.requestMs + 2_000);
    expect(client.text()).toMatch(/^HTTP\/1\.1 408/);
    expect((await server.api(who.owner, 'GET', `${base}/lists`)).body).toEqual(before.body);
  });

  it('cuts an answer the client stops reading, and records the read as not given', async () => {
    // A trail far larger than what the sockets' buffers hold between the two ends.
    const tenantId = who.contoso.id;
    const at = Date.UTC(2026, 0, 5, 8);
    const events: AuditEvent[] = Array.from({ length: 60_000 }, (_, i) => ({
      time: new Date(at + i).toISOString(),
      operation: 'PatientView',
      outcome: 'success',
      status: 200,
      tenantId,
      teamId: who.team.id,
      userId: who.member,
      patientId: `seeded-patient-${i}`,
      listId: null,
      requestId: `seeded-${i}`,
    }));
    const db = new Database(join(server.dataDir, 'patients.sqlite'));
    await sqliteAuditLog(db).append(...events);
    db.close();

    const client = rawClient(30_000);
    client.socket.write(
      `GET /api/audit?format=csv&limit=60000&from=${new Date(at).toISOString()} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Authorization: Bearer ${await server.tokenFor(auditReader(server))}\r\n\r\n`,
    );
    // The client reads nothing for a while, then everything that reaches it.
    client.socket.pause();
    // Long enough for the server to fill the sockets' buffers (a few MB here), then find the answer stalled.
    await new Promise((resolve) => setTimeout(resolve, limits.stalledWriteMs + 4_000));
    client.socket.resume();
    const closedAfter = await client.closed;
    expect(closedAfter, 'the connection was still open after 30 s').toBeDefined();
    const answer = client.text();
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    // Cut before its end: the chunked answer has no last chunk, and the last records never left.
    expect(answer.endsWith('0\r\n\r\n')).toBe(false);
    expect(answer).not.toContain('seeded-patient-59999');
    const requestId = /^x-request-id: (\S+)/im.exec(answer)![1];
    const trail = await server.api(auditReader(server), 'GET', '/api/audit?operation=AuditExport&limit=100');
    const records = (trail.body.events as AuditEvent[]).filter((e) => e.requestId === requestId);
    expect(records.map((e) => `${e.outcome}:${e.status}`)).toEqual(['success:200', 'failure:499']);
  }, 60_000);
});

describe('a slow answer the client waits for', () => {
  it('is not cut: only an answer the client stops reading is', async () => {
    const ehr = await startSlowEhr(5);
    const slow = await startTestServer(ehr.env, undefined, { httpLimits: limits });
    try {
      const { team, owner, member } = cast(slow.info);
      const base = `/api/teams/${team.id}`;
      expect((await slow.api(owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${ehr.origin}/sandbox/r4`, name: 'Slow EHR' })).status).toBe(
        200,
      );
      // The EHR takes longer than the stalled-answer limit: nothing is written meanwhile, and nothing is cut.
      ehr.latencyMs = limits.stalledWriteMs * 2;
      const found = await slow.api(member, 'GET', `${base}/patients?gender=female&count=5`);
      expect(found.status).toBe(200);
      expect((found.body.patients as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await slow.stop();
      await ehr.stop();
    }
  });
});
