import { z } from 'zod';
import { onCommit } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { Connection } from '../../storage/ports.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';

const connectionBody = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('ehr'),
      url: z.string().trim().min(1, 'must not be empty').max(2000).url('must be a web address'),
      name: z.string().trim().min(1, 'must not be empty').max(200),
    })
    .strict(),
  z.object({ mode: z.literal('manual') }).strict(),
]);

/** The team's link to its EHR (or Manual mode). Owners set it; setting an EHR link checks it for real first. */
export function connectionRoutes(ep: Endpoints, { store, ehr }: ApiDeps): void {
  const path = '/teams/:teamId/connection';

  ep.get(path, { audit: null, access: 'member' }, async (req, res) => {
    res.json(await store.getConnection(teamKey(req)));
  });

  ep.put(path, { audit: 'EHRConnectionSet', access: 'owner', limit: 'connectionCheck' }, async (req, res) => {
    const body = connectionBody.parse(req.body);
    let connection: Connection;
    if (body.mode === 'ehr') {
      const url = body.url.replace(/\/+$/, '');
      const found = await ehr.check(url, caller().tenantId);
      connection = { mode: 'ehr', url, name: body.name, fhirVersion: found.fhirVersion, auth: found.auth, resources: found.resources };
    } else {
      connection = { mode: 'manual' };
    }
    await store.setConnection(teamKey(req), connection, caller().userId, onCommit('EHRConnectionSet'));
    res.json(connection);
  });
}
