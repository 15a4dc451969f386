import { AUDIT_READER_ROLE } from '../../contract/audit-operations';
import type { AuditEvent } from '../../contract/audit';
import { devDirectory } from '../../server/identity/dev-directory';
import { checkAnswer } from './contract-check';
import type { GraphEmulator } from './graph-emulator';
import type { Json } from './json';
import { startProductionHarness } from './production-server';
import { startTestServer, type DevInfo } from './test-server';

/** An API answer as a caller sees it, with the request id the audit trail records it under. */
export interface Answer {
  status: number;
  body: Json;
  requestId: string;
  /** Its headers, when it came over HTTP. */
  headers?: Headers;
}

/**
 * The app on one of its two stores, called the same way: the SQLite store in dev mode, or the
 * team's SharePoint site through the Graph emulator in production mode (Azure AD shaped tokens).
 */
export interface StoreHarness {
  info: DevInfo;
  /** Where the team's data is kept, for a test that changes it behind the app's back. */
  store: { kind: 'sqlite'; dataDir: string } | { kind: 'graph'; graph: GraphEmulator };
  /**
   * Calls the API as a user: a Buffer body is sent as it is (a file, with `headers`), anything else
   * as JSON. Every answer is checked against the contract.
   */
  call(userId: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Opens a path without a token, as Teams' browser opens a download link. */
  open(path: string): Promise<{ status: number; headers: Headers; text: string; requestId: string }>;
  /** The tenant's audit trail as an audit reader (Casey Lindqvist) reads it. */
  trail(): Promise<AuditEvent[]>;
  stop(): Promise<void>;
}

/** One API call as a user's token allows, its answer checked against the contract. */
export async function callWith(url: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = body instanceof Buffer;
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : raw ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ?? false;
  const answer = text && json ? (JSON.parse(text) as Json) : text || null;
  checkAnswer(method, path, res.status, answer, json);
  return { status: res.status, body: answer as Json, requestId: res.headers.get('x-request-id') ?? '', headers: res.headers };
}

function harnessOf(
  url: string,
  info: DevInfo,
  store: StoreHarness['store'],
  tokenFor: (userId: string) => Promise<string>,
  stop: () => Promise<void>,
): StoreHarness {
  const reader = info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  return {
    info,
    store,
    call: async (userId, method, path, body, headers) => callWith(url, await tokenFor(userId), method, path, body, headers),
    async open(path) {
      const res = await fetch(`${url}${path}`);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, text, requestId: res.headers.get('x-request-id') ?? '' };
    },
    trail: async () => (await callWith(url, await tokenFor(reader), 'GET', '/api/audit?limit=50000')).body.events as AuditEvent[],
    stop,
  };
}

/** Both stores, for `describe.each`: the same story must hold on each. */
export const bothStores: [string, () => Promise<StoreHarness>][] = [
  [
    'SQLite store, dev mode',
    async () => {
      const server = await startTestServer();
      return harnessOf(server.url, server.info, { kind: 'sqlite', dataDir: server.dataDir }, server.tokenFor, () => server.stop());
    },
  ],
  [
    'Graph store, production mode',
    async () => {
      const harness = await startProductionHarness(devDirectory);
      const tokens = new Map<string, Promise<string>>();
      // Audit readers hold the app role in `roles`, as Azure AD puts it in the token.
      const tokenFor = (userId: string) => {
        const roles = devDirectory.auditReaders?.includes(userId) ? { roles: [AUDIT_READER_ROLE] } : {};
        if (!tokens.has(userId)) tokens.set(userId, harness.tokenFor(userId, 'v2', roles));
        return tokens.get(userId)!;
      };
      return harnessOf(harness.server.url, harness.info, { kind: 'graph', graph: harness.graph }, tokenFor, () => harness.stop());
    },
  ],
];

/** The Graph store's harness alone, and its emulator: for tests of what only SharePoint does. */
export async function startGraphHarness(): Promise<{ server: StoreHarness; graph: GraphEmulator }> {
  const harness = bothStores.find(([name]) => /graph|sharepoint/i.test(name));
  if (!harness) throw new Error('no Graph store harness');
  const server = await harness[1]();
  if (server.store.kind !== 'graph') throw new Error('graph only');
  return { server, graph: server.store.graph };
}
