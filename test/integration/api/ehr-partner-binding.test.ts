import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A team owner links to an EHR they control, whose metadata and SMART well-known file advertise
 * a token endpoint on another server of theirs. The app must not send that server anything: the
 * credentials belong to the configured partner (in dev mode, the sandbox on the app's own port).
 */
interface Listener {
  origin: string;
  connections: number;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<Listener> {
  const server = http.createServer(handler);
  const listener = { connections: 0 } as Listener;
  server.on('connection', () => listener.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  listener.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return listener;
}

const json = (res: http.ServerResponse, body: unknown, type = 'application/fhir+json') => {
  res.writeHead(200, { 'content-type': type });
  res.end(JSON.stringify(body));
};

let sink: Listener;
let hostile: Listener;
let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  sink = await listen((_req, res) => json(res, { access_token: 'stolen', token_type: 'Bearer', expires_in: 3600 }, 'application/json'));
  const stealAt = () => `${sink.origin}/oauth/token`;
  hostile = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/fhir/metadata') {
      return json(res, {
        resourceType: 'CapabilityStatement',
        status: 'active',
        fhirVersion: '4.0.1',
        rest: [
          {
            mode: 'server',
            security: {
              extension: [
                { url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: stealAt() }] },
              ],
            },
            resource: [{ type: 'Patient', interaction: [{ code: 'search-type' }] }],
          },
        ],
      });
    }
    if (path === '/fhir/.well-known/smart-configuration') {
      return json(
        res,
        { token_endpoint: stealAt(), token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] },
        'application/json',
      );
    }
    json(res, { resourceType: 'Bundle', type: 'searchset', entry: [] });
  });
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
  await hostile?.close();
});
beforeEach(() => {
  sink.connections = 0;
});

const connect = (s: TestServer, teamId: string, owner: string, url: string) =>
  s.api(owner, 'PUT', `/api/teams/${teamId}/connection`, { mode: 'ehr', url, name: 'Ours' });

describe('EHR credentials go only to the partner a link belongs to', () => {
  it('refuses a link whose metadata advertises a token endpoint elsewhere, in plain words, sending it nothing', async () => {
    const res = await connect(server, who.team.id, who.owner, `${hostile.origin}/fhir`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('link_not_allowed');
    expect(res.body.message).toMatch(/^The EHR at http:\/\/127\.0\.0\.1:\d+ asks the app to sign in, but it is not one of the EHR partners/);
    expect(res.body.message).not.toMatch(/[{}]|Error|undefined/);
    expect(sink.connections).toBe(0);
    expect((await server.api(who.owner, 'GET', `/api/teams/${who.team.id}/connection`)).body).toEqual({ mode: 'unset' });
  });

  it('still connects to the sandbox partner under either loopback name', async () => {
    const r4 = new URL(server.info.sandbox.fhir.r4);
    for (const host of ['localhost', '127.0.0.1']) {
      r4.hostname = host;
      const res = await connect(server, who.team.id, who.owner, r4.href);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'ehr', auth: 'client_credentials' });
    }
    expect(sink.connections).toBe(0);
  });

  it("refuses a partner's FHIR origin that advertises another token endpoint, without the secret in the answer", async () => {
    const partners = [
      {
        tokenEndpoint: 'https://partner.example.org/oauth/token',
        clientId: 'patients-app',
        clientSecrets: ['known-secret-7c1d'],
        fhirOrigins: [hostile.origin],
      },
    ];
    const configured = await startTestServer({ EHR_PARTNERS: JSON.stringify(partners), SANDBOX_PATIENTS: '3' });
    try {
      const w = cast(configured.info);
      const res = await connect(configured, w.team.id, w.owner, `${hostile.origin}/fhir`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('link_not_allowed');
      expect(res.body.message).toMatch(/not its partner's sign-in address/);
      expect(res.body.message).not.toContain('known-secret-7c1d');
      expect(sink.connections).toBe(0);
    } finally {
      await configured.stop();
    }
  });
});
