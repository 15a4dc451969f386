import { Router } from 'express';
import { z } from 'zod';
import type { DevDirectory } from '../identity/dev-directory.js';
import type { DevIdentity } from '../identity/dev-identity.js';
import { problem } from '../platform/problem.js';

export interface DevDeps {
  directory: DevDirectory;
  /** Absent when dev mode verifies Azure AD tokens instead (SSO=azure-ad): no dev tokens then. */
  identity?: DevIdentity;
  /** Where the sandbox partner is mounted on this server, e.g. `/sandbox`. */
  sandboxPath: string;
}

const tokenBody = z.object({ userId: z.string().min(1).max(100) }).strict();

/** Dev mode only: the directory, token issuing for dev users, the dev identity provider's keys. */
export function devRoutes(deps: DevDeps): Router {
  const router = Router();

  router.get('/info', (req, res) => {
    const sandbox = `${req.protocol}://${req.get('host')}${deps.sandboxPath}`;
    res.json({
      tenants: deps.directory.tenants,
      users: deps.directory.users,
      sandbox: { fhir: { dstu2: `${sandbox}/dstu2`, stu3: `${sandbox}/stu3`, r4: `${sandbox}/r4` } },
    });
  });

  const { identity } = deps;
  if (!identity) return router;

  router.post('/token', async (req, res) => {
    const { userId } = tokenBody.parse(req.body);
    const token = await identity.issueToken(userId);
    if (!token) throw problem('unknown_user', 'The dev directory has no such user.');
    res.json(token);
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.json(identity.jwks);
  });

  return router;
}
