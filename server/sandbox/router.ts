import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { capabilityStatement, smartConfiguration } from './capability.js';
import { credentialsOf, type ClientRegistry } from './clients.js';
import { execute, executeBatch, outcome, type FhirResult } from './fhir-handler.js';
import type { ProviderData } from './resource-store.js';
import type { TokenIssuer } from './tokens.js';
import { parseQuirks, quirkMiddleware, quirkyBody, type Quirk } from './quirks.js';
import { sandboxVersions, versionSpecs, type VersionSpec } from './versions.js';

const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;
const oauthError = (res: Response, status: number, error: string, description: string) =>
  res.status(status).json({ error, error_description: description });

/** The partner's HTTP face: registration, token endpoint, and a FHIR endpoint per release routed by the token's tenant. */
export function sandboxRouter(clients: ClientRegistry, tokens: TokenIssuer, providers: Map<string, ProviderData>): Router {
  const router = Router();
  router.use(express.json({ limit: '5mb', type: ['application/json', 'application/fhir+json', 'application/json+fhir'] }));
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));

  router.post('/clients', (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name.slice(0, 200) : 'client';
    const { clientId, clientSecret, secretId } = clients.register(name);
    res.status(201).json({ client_id: clientId, client_secret: clientSecret, secret_id: secretId });
  });

  const clientAuth = (req: Request, res: Response, next: NextFunction) => {
    const creds = credentialsOf(req.get('authorization'), {});
    if (!creds || creds.clientId !== req.params.clientId || !clients.authenticate(creds.clientId, creds.secret)) {
      return oauthError(res, 401, 'invalid_client', 'Authenticate with a current secret of this client (HTTP Basic).');
    }
    res.locals.secretId = clients.authenticate(creds.clientId, creds.secret);
    next();
  };
  router.post('/clients/:clientId/secrets', clientAuth, (req, res) => {
    const added = clients.addSecret(String(req.params.clientId))!;
    res.status(201).json({ secret_id: added.secretId, client_secret: added.clientSecret });
  });
  router.delete('/clients/:clientId/secrets/:secretId', clientAuth, (req, res) => {
    if (req.params.secretId === res.locals.secretId) return oauthError(res, 400, 'invalid_request', 'Delete a secret with another one of the client.');
    if (!clients.deleteSecret(String(req.params.clientId), String(req.params.secretId))) return res.status(404).json({ error: 'not_found' });
    res.status(204).end();
  });

  router.post('/token', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    const creds = credentialsOf(req.get('authorization'), body);
    if (!creds || !clients.authenticate(creds.clientId, creds.secret)) return oauthError(res, 401, 'invalid_client', 'Unknown client or wrong secret.');
    const tenantId = typeof body.scope === 'string' ? body.scope.trim() : '';
    if (!providers.has(tenantId)) return oauthError(res, 400, 'invalid_scope', 'The scope must be the id of a tenant this partner serves.');
    res.set('Cache-Control', 'no-store').json(tokens.issue(creds.clientId, tenantId));
  });

  for (const version of sandboxVersions) {
    // `/{version}/quirks/{names}`: the same endpoint behaving like a real server with those quirks.
    const quirky = new Map<string, Router>();
    router.use(`/${version}/quirks/:quirks`, (req, res, next) => {
      const names = String(req.params.quirks);
      const quirks = parseQuirks(names);
      if (!quirks) return res.status(404).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Unknown quirk.' }] });
      if (!quirky.has(names)) quirky.set(names, fhirEndpoint(versionSpecs[version], tokens, providers, quirks));
      quirky.get(names)!(req, res, next);
    });
    router.use(`/${version}`, fhirEndpoint(versionSpecs[version], tokens, providers, new Set()));
  }

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    const body = outcome(status >= 400 && status < 500 ? status : 500, 'invalid', status < 500 ? 'The request body could not be read.' : 'Internal error.').body;
    res.status(status >= 400 && status < 500 ? status : 500).type('application/fhir+json').send(JSON.stringify(body));
  });
  return router;
}

function fhirEndpoint(spec: VersionSpec, tokens: TokenIssuer, providers: Map<string, ProviderData>, quirks: Set<Quirk>): Router {
  const router = Router();
  const contentType = quirks.has('plain-json') ? 'application/json' : quirks.has('legacy-content-type') ? 'application/json+fhir' : spec.contentType;
  const send = (res: Response, result: FhirResult) => res.status(result.status).type(contentType).send(JSON.stringify(quirkyBody(quirks, result.body)));
  const partner = (req: Request) => `${origin(req)}${req.baseUrl.slice(0, req.baseUrl.lastIndexOf(`/${spec.key}`))}`;

  router.get('/metadata', (req, res) => {
    send(res, { status: 200, body: capabilityStatement(spec, `${partner(req)}/token`, `${partner(req)}/authorize`) });
  });
  router.get('/.well-known/smart-configuration', (req, res) => {
    res.json(smartConfiguration(`${partner(req)}/token`, `${partner(req)}/authorize`));
  });

  router.use((req, res, next) => {
    const tenantId = tokens.tenantOf(req.get('authorization'));
    const data = tenantId ? providers.get(tenantId) : undefined;
    if (!data) return send(res, outcome(401, 'security', 'A valid Bearer token from the partner token endpoint is required.'));
    res.locals.store = data[spec.key];
    next();
  });
  if (quirks.size) router.use(quirkMiddleware(quirks));

  const base = (req: Request) => `${origin(req)}${req.baseUrl}`;
  router.post('/', (req, res) => send(res, executeBatch(spec, res.locals.store, base(req), req.body, quirks)));
  router.post('/:type/_search', (req, res) => {
    const form = Object.entries((req.body ?? {}) as Record<string, unknown>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)] as [string, string]));
    const query = [...new URLSearchParams(req.url.split('?')[1] ?? '')];
    send(res, execute(spec, res.locals.store, base(req), String(req.params.type), [...query, ...form], quirks));
  });
  router.get('/*path', (req, res) => {
    const path = req.path;
    send(res, execute(spec, res.locals.store, base(req), path, [...new URLSearchParams(req.url.split('?')[1] ?? '')], quirks));
  });
  return router;
}
