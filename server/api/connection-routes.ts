import { Router } from 'express';
import { z } from 'zod';
import { requireOwner, teamKey } from '../auth/middleware.js';
import type { EhrGateway } from '../fhir/types.js';
import { caller } from '../http/request-context.js';
import type { Connection, TeamStore } from '../lists/store.js';

const connectionBody = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('ehr'),
    url: z.string().trim().min(1, 'must not be empty').max(2000).url('must be a web address'),
    name: z.string().trim().min(1, 'must not be empty').max(200),
  }).strict(),
  z.object({ mode: z.literal('manual') }).strict(),
]);

/** The team's link to its EHR (or Manual mode). Owners set it; setting an EHR link checks it for real first. */
export function connectionRoutes(store: TeamStore, ehr: EhrGateway): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    res.json(await store.getConnection(teamKey(req)));
  });

  router.put('/', requireOwner, async (req, res) => {
    const body = connectionBody.parse(req.body);
    let connection: Connection;
    if (body.mode === 'ehr') {
      const url = body.url.replace(/\/+$/, '');
      const found = await ehr.check(url, caller().tenantId);
      connection = { mode: 'ehr', url, name: body.name, fhirVersion: found.fhirVersion, auth: found.auth, resources: found.resources };
    } else {
      connection = { mode: 'manual' };
    }
    await store.setConnection(teamKey(req), connection, caller().userId);
    res.json(connection);
  });

  return router;
}
