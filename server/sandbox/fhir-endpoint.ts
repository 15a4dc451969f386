import { Router, type Request, type Response } from 'express';
import { capabilityStatement, smartConfiguration } from './capability.js';
import type { FhirEngine } from './engine/types.js';
import { handle, handleBatch, outcome, type EndpointContext, type FhirResult } from './fhir-handler.js';
import { quirkMiddleware, type Quirk } from './quirks.js';
import type { TokenIssuer } from './tokens.js';
import type { VersionSpec } from './versions.js';

export const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** Query pairs in order, as sent (`req.query` would merge repeated names). */
const queryPairs = (req: Request): [string, string][] => [...new URLSearchParams(req.originalUrl.split('?')[1] ?? '')];

/** A parsed form body as pairs; repeated names come as arrays. */
const formPairs = (body: unknown): [string, string][] =>
  body && typeof body === 'object' && !Array.isArray(body)
    ? Object.entries(body as Record<string, unknown>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, String(x)]))
    : [];

export interface EndpointOptions {
  spec: VersionSpec;
  tokens: TokenIssuer;
  /** tenant id → that tenant's provider engine for this release. */
  engines: Map<string, FhirEngine>;
  quirks: ReadonlySet<Quirk>;
  /** Where the partner's token endpoint lives, relative to the mount point of this endpoint's router. */
  partnerUrl(req: Request): string;
}

/** One FHIR release's endpoint: open discovery, then every request routed by its token's tenant. */
export function fhirEndpoint({ spec, tokens, engines, quirks, partnerUrl }: EndpointOptions): Router {
  const router = Router();
  const contentType = quirks.has('plain-json') ? 'application/json' : quirks.has('legacy-content-type') ? 'application/json+fhir' : spec.contentType;
  const send = (res: Response, result: FhirResult) => res.status(result.status).type(contentType).send(JSON.stringify(result.body));
  const anyEngine = [...engines.values()][0];

  router.get('/metadata', (req, res) => {
    const partner = partnerUrl(req);
    const body = capabilityStatement(spec, anyEngine, `${partner}/token`, `${partner}/authorize`, { contains: !quirks.has('no-contains') });
    send(res, { status: 200, body });
  });
  router.get('/.well-known/smart-configuration', (req, res) => {
    const partner = partnerUrl(req);
    res.set('Cache-Control', 'no-store').json(smartConfiguration(`${partner}/token`, `${partner}/authorize`));
  });

  router.use((req, res, next) => {
    const tenantId = tokens.tenantOf(req.get('authorization'));
    const engine = tenantId ? engines.get(tenantId) : undefined;
    if (!engine) {
      res.set('WWW-Authenticate', 'Bearer realm="sandbox", error="invalid_token"');
      return send(res, outcome(401, 'login', 'A valid Bearer token from the partner token endpoint is required.'));
    }
    const ctx: EndpointContext = { spec, engine, base: `${origin(req)}${req.baseUrl}`, quirks };
    res.locals.fhir = ctx;
    next();
  });
  if (quirks.size) router.use(quirkMiddleware(quirks));

  const ctxOf = (res: Response) => res.locals.fhir as EndpointContext;
  router.post('/', async (req, res) => send(res, await handleBatch(ctxOf(res), req.body)));
  router.post('/:type/_search', async (req, res) => {
    // FHIR's POST search takes a form; a body of any other kind is refused rather than guessed at.
    const form = req.is('application/x-www-form-urlencoded');
    if (!form && Number(req.get('content-length') ?? 0) > 0)
      return send(res, outcome(415, 'not-supported', 'Send search parameters as application/x-www-form-urlencoded.'));
    send(res, await handle(ctxOf(res), String(req.params.type), [...queryPairs(req), ...(form ? formPairs(req.body) : [])], true));
  });
  router.get('/*path', async (req, res) => send(res, await handle(ctxOf(res), req.path, queryPairs(req))));
  // The sandbox is a read-only partner.
  router.all('/*path', (_req, res) => send(res, outcome(405, 'not-supported', 'This sandbox answers reads, searches and batches only.')));
  router.use((_req, res) => send(res, outcome(404, 'not-supported', 'Name a resource type: {base}/{type}.')));
  return router;
}
