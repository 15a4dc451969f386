import { connectionBody } from '../../../contract/connection.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import * as connections from './connection-service.js';

/** The team's link to its EHR (or Manual mode). Owners set it; setting an EHR link checks it for real first. */
export function connectionRoutes(ep: Endpoints, deps: ApiDeps): void {
  const path = '/teams/:teamId/connection';

  ep.get(path, { audit: null, access: 'member' }, async (req, res) => {
    res.json(await connections.getConnection(deps, teamKey(req)));
  });

  ep.put(path, { audit: 'EHRConnectionSet', access: 'owner', limit: 'connectionCheck' }, async (req, res) => {
    const body = connectionBody.parse(req.body);
    res.json(await connections.setConnection(deps, teamKey(req), body, caller().userId));
  });
}
