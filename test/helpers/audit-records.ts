import { expect } from 'vitest';
import type { AuditEvent } from '../../contract/audit';
import { cast, startTestServer, type TestServer } from './test-server';

export type { AuditEvent };

/** The tenant's audit reader in the dev directory (Casey Lindqvist holds Patients.AuditReader). */
export const auditReader = (server: TestServer) => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

/** A test server whose first team is in Manual mode; `base` is that team's API path. */
export async function startManualTeam(): Promise<{ server: TestServer; who: ReturnType<typeof cast>; base: string }> {
  const server = await startTestServer();
  try {
    const who = cast(server.info);
    const base = `/api/teams/${who.team.id}`;
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    return { server, who, base };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The records a request left, as the tenant's audit reader finds them. */
export async function auditEventsOf(server: TestServer, requestId: string): Promise<AuditEvent[]> {
  const res = await server.api(auditReader(server), 'GET', '/api/audit?limit=50000');
  return (res.body.events as AuditEvent[]).filter((e) => e.requestId === requestId);
}

/** The records a request left, each as `operation:outcome` ("PatientView:success"), in the order written. */
export async function outcomesOf(server: TestServer, requestId: string): Promise<string[]> {
  return (await auditEventsOf(server, requestId)).map((e) => `${e.operation}:${e.outcome}`);
}

/** Calls the API as a user (`body` sent as JSON), with the request id its records carry. */
export async function callAs(server: TestServer, userId: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await server.tokenFor(userId)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}
