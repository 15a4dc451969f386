import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { credentialsOf, type ClientRegistry } from './clients.js';
import type { FhirEngine } from './engine/types.js';
import { fhirEndpoint, origin } from './fhir-endpoint.js';
import { outcome } from './fhir-handler.js';
import { parseQuirks, type Quirk } from './quirks.js';
import type { TokenIssuer } from './tokens.js';
import { sandboxVersions, versionSpecs, type SandboxVersion } from './versions.js';

const oauthError = (res: Response, status: number, error: string, description: string) =>
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });

/** tenant id → release → that tenant's provider engine. */
export type Providers = Map<string, Record<SandboxVersion, FhirEngine>>;

/** The partner's HTTP face: registration, token endpoint, and a FHIR endpoint per release routed by the token's tenant. */
export function sandboxRouter(clients: ClientRegistry, tokens: TokenIssuer, providers: Providers): Router {
  const router = Router();
  router.use(express.json({ limit: '5mb', type: ['application/json', 'application/*+json', 'application/json+fhir'] }));
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));

  router.post('/clients', (req, res) => {
    const name = typeof req.body?.name === 'string' && req.body.name.trim() ? req.body.name.trim().slice(0, 200) : 'client';
    const { clientId, clientSecret, secretId } = clients.register(name);
    res.status(201).set('Cache-Control', 'no-store').json({ client_id: clientId, client_secret: clientSecret, secret_id: secretId });
  });

  // Managing a client's secrets takes one of its current secrets, by HTTP Basic.
  const clientAuth = (req: Request, res: Response, next: NextFunction) => {
    const creds = credentialsOf(req.get('authorization'), {});
    const secretId = creds && creds.clientId === req.params.clientId ? clients.authenticate(creds.clientId, creds.secret) : null;
    if (!secretId) return oauthError(res, 401, 'invalid_client', 'Authenticate with a current secret of this client (HTTP Basic).');
    res.locals.secretId = secretId;
    next();
  };
  router.post('/clients/:clientId/secrets', clientAuth, (req, res) => {
    const added = clients.addSecret(String(req.params.clientId))!;
    res.status(201).set('Cache-Control', 'no-store').json({ secret_id: added.secretId, client_secret: added.clientSecret });
  });
  router.delete('/clients/:clientId/secrets/:secretId', clientAuth, (req, res) => {
    if (req.params.secretId === res.locals.secretId)
      return oauthError(res, 400, 'invalid_request', 'Delete a secret while authenticated with another one of the client.');
    if (!clients.deleteSecret(String(req.params.clientId), String(req.params.secretId)))
      return oauthError(res, 404, 'invalid_request', 'No such secret.');
    res.status(204).end();
  });

  router.post('/token', (req, res) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const creds = credentialsOf(req.get('authorization'), body);
    if (!creds || !clients.authenticate(creds.clientId, creds.secret)) {
      res.set('WWW-Authenticate', 'Basic realm="sandbox"');
      return oauthError(res, 401, 'invalid_client', 'Unknown client or wrong secret.');
    }
    if (body.grant_type !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    // The scope names the tenant (the partner's routing key); SMART system scopes may ride along.
    const scopes = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : [];
    const tenants = scopes.filter((s) => providers.has(s));
    if (tenants.length !== 1) return oauthError(res, 400, 'invalid_scope', 'The scope must name exactly one tenant this partner serves.');
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json(tokens.issue(creds.clientId, tenants[0]));
  });
  router.get('/authorize', (_req, res) =>
    oauthError(res, 400, 'unsupported_response_type', 'This partner grants client credentials only; there is no user authorization.'),
  );

  for (const version of sandboxVersions) {
    const spec = versionSpecs[version];
    const engines = new Map([...providers].map(([tenant, byVersion]) => [tenant, byVersion[version]]));
    const endpoint = (quirks: ReadonlySet<Quirk>) =>
      fhirEndpoint({
        spec,
        tokens,
        engines,
        quirks,
        partnerUrl: (req) => `${origin(req)}${req.baseUrl.slice(0, req.baseUrl.lastIndexOf(`/${version}`))}`,
      });
    // `/{version}/quirks/{names}`: the same endpoint behaving like a real server with those quirks.
    const quirky = new Map<string, Router>();
    router.use(`/${version}/quirks/:quirks`, (req, res, next) => {
      const names = String(req.params.quirks);
      const quirks = parseQuirks(names);
      if (!quirks)
        return res
          .status(404)
          .type(spec.contentType)
          .send(JSON.stringify(outcome(404, 'not-found', 'Unknown quirk.').body));
      if (!quirky.has(names)) quirky.set(names, endpoint(quirks));
      quirky.get(names)!(req, res, next);
    });
    router.use(`/${version}`, endpoint(new Set()));
  }

  // Bad bodies (malformed JSON, too large) and anything unexpected: an OperationOutcome, never a crash.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    const client = typeof status === 'number' && status >= 400 && status < 500;
    const result = outcome(
      client ? status : 500,
      client ? 'invalid' : 'exception',
      client ? 'The request body could not be read.' : 'Internal error.',
    );
    res.status(result.status).type('application/fhir+json').send(JSON.stringify(result.body));
  });
  return router;
}
