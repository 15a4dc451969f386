import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stand-ins at the HTTP boundary for Azure Key Vault's secrets API and App Service's managed
 * identity endpoint, so the app's real @azure/keyvault-secrets and @azure/identity code runs.
 *
 * Key Vault REST API (https://learn.microsoft.com/rest/api/keyvault/secrets/):
 * - every call carries `api-version`; without a bearer token the vault answers 401 with
 *   `WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}",
 *   resource="https://vault.azure.net"`, the challenge the SDK reads before it asks for a token
 *   (https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses);
 * - GET {vault}/secrets/{name}/versions: `{ value: [SecretItem], nextLink }`, paged by `maxresults`
 *   (get-secret-versions); a SecretItem has `id` ({vault}/secrets/{name}/{version}) and
 *   `attributes` (`enabled`, `created`, `updated`, `nbf`, `exp` in Unix seconds);
 * - GET {vault}/secrets/{name}/{version}: a SecretBundle `{ value, id, attributes }`; a disabled
 *   version answers 403 `Forbidden` (get-secret); an unknown one 404 `SecretNotFound`.
 *
 * App Service managed identity (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference):
 * GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01 with header `X-IDENTITY-HEADER:
 * {IDENTITY_HEADER}` answers `{ access_token, expires_on, resource, token_type, client_id }`.
 *
 * The SDK's bearer policy refuses plain http, so the vault is served over https with a throwaway
 * self-signed certificate made here with the openssl CLI; `clientOptions` trusts exactly it.
 */
export interface KeyVaultStandIn {
  /** `https://127.0.0.1:{port}` */
  url: string;
  /** Settings for @azure/identity's App Service managed identity source. */
  identityEnv: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** Trusts the vault's certificate; the challenge's resource (vault.azure.net) is not this host. */
  clientOptions: SecretClientOptions;
  /** Adds a new, enabled version of the secret (created now) and returns its version id. */
  setSecret(name: string, value: string): string;
  /** Disables a version, as `PATCH {vault}/secrets/{name}/{version}` with `attributes.enabled=false` does. */
  disableVersion(name: string, version: string): void;
  /** Calls that reached the vault with a valid token, by kind. */
  calls: { list: number; get: number; unauthenticated: number; identity: number };
  stop(): Promise<void>;
}

interface Version {
  version: string;
  value: string;
  enabled: boolean;
  created: number;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export async function startKeyVaultStandIn(): Promise<KeyVaultStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-standin-'));
  let key: string;
  let cert: string;
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], // prettier-ignore
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const secrets = new Map<string, Version[]>();
  const tokens = new Set<string>();
  const identityHeader = randomBytes(16).toString('hex');
  const calls = { list: 0, get: 0, unauthenticated: 0, identity: 0 };
  // Creation times in whole seconds, as the service reports them; one second apart keeps "newest" unambiguous.
  let clock = Math.floor(Date.now() / 1000);
  let origin = '';

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });
  const attributes = (v: Version) => ({ enabled: v.enabled, created: v.created, updated: v.created, recoveryLevel: 'Recoverable' });

  const vault = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return error(res, 400, 'BadParameter', 'The api-version query parameter is required.');
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!bearer || !tokens.has(bearer[1])) {
      calls.unauthenticated++;
      return send(
        res,
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
        { 'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"` },
      );
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'GET' || parts[0] !== 'secrets' || parts.length !== 3) return error(res, 404, 'NotFound', 'No such operation.');
    const [, name, which] = parts;
    const versions = secrets.get(name);
    if (!versions) return error(res, 404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
    if (which === 'versions') {
      calls.list++;
      const max = Math.min(Number(url.searchParams.get('maxresults') ?? 25) || 25, 25);
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0) || 0;
      const page = versions.slice(skip, skip + max);
      const more = skip + max < versions.length;
      return send(res, 200, {
        value: page.map((v) => ({ id: `${origin}/secrets/${name}/${v.version}`, attributes: attributes(v) })),
        nextLink: more ? `${origin}/secrets/${name}/versions?api-version=${apiVersion}&maxresults=${max}&$skiptoken=${skip + max}` : null,
      });
    }
    calls.get++;
    const version = versions.find((v) => v.version === which);
    if (!version) return error(res, 404, 'SecretNotFound', `A secret with (name/id) ${name}/${which} was not found in this key vault.`);
    if (!version.enabled) return error(res, 403, 'Forbidden', 'Operation get is not allowed on a disabled secret.');
    send(res, 200, { value: version.value, id: `${origin}/secrets/${name}/${version.version}`, attributes: attributes(version) });
  });

  const identity = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const resource = url.searchParams.get('resource');
    if (req.headers['x-identity-header'] !== identityHeader) return error(res, 401, 'Unauthorized', 'X-IDENTITY-HEADER is missing or wrong.');
    if (!resource || !url.searchParams.get('api-version')) return error(res, 400, 'BadRequest', 'resource and api-version are required.');
    calls.identity++;
    const token = randomBytes(24).toString('base64url');
    tokens.add(token);
    send(res, 200, {
      access_token: token,
      expires_on: String(Math.floor(Date.now() / 1000) + 3600),
      resource,
      token_type: 'Bearer',
      client_id: randomUUID(),
    });
  });

  const listen = (server: http.Server) =>
    new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  origin = `https://127.0.0.1:${await listen(vault)}`;
  const identityPort = await listen(identity);
  const agent = new https.Agent({ ca: cert, keepAlive: false });

  return {
    url: origin,
    identityEnv: { IDENTITY_ENDPOINT: `http://127.0.0.1:${identityPort}/msi/token`, IDENTITY_HEADER: identityHeader },
    clientOptions: {
      disableChallengeResourceVerification: true,
      // A per-call policy hands every request the agent that trusts this certificate (PipelineRequest.agent).
      additionalPolicies: [
        {
          position: 'perCall',
          policy: {
            name: 'trustStandInCertificate',
            sendRequest: (request, next) => {
              request.agent = agent;
              return next(request);
            },
          },
        },
      ],
    },
    setSecret(name, value) {
      const versions = secrets.get(name) ?? [];
      clock = Math.max(clock + 1, Math.floor(Date.now() / 1000));
      const version = randomBytes(16).toString('hex');
      versions.push({ version, value, enabled: true, created: clock });
      secrets.set(name, versions);
      return version;
    },
    disableVersion(name, version) {
      const found = secrets.get(name)?.find((v) => v.version === version);
      if (!found) throw new Error(`no version ${version} of ${name}`);
      found.enabled = false;
    },
    calls,
    async stop() {
      agent.destroy();
      for (const server of [vault, identity]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
