import type { TeamKey, TeamStore } from '../ports.js';
import { createGraphApi, type GraphApi } from '../../platform/graph/graph-api.js';
import { graphListOps } from './graph-lists.js';
import { graphDischargeOps } from './graph-discharge.js';
import { graphManualOps } from './graph-manual.js';
import { graphManualCreateOps } from './graph-manual-create.js';
import { graphTeamDataOps } from './graph-team-data.js';
import { teamSites } from './team-site.js';
import { writeQueue } from './etag-retry.js';
import { unitShare } from '../../platform/graph/unit-share.js';
import { rowSealer, type SealKeys } from './row-seal.js';
import { GraphAccessError, isStatus } from '../../platform/graph/graph-errors.js';

export interface GraphStoreOptions {
  /** Where Graph is: `https://graph.microsoft.com` (the default), or the emulator in tests. */
  baseUrl?: string;
  /**
   * A Graph access token of the signed-in user for `tenantId`, the tenant of the team being
   * read or changed (in production: on-behalf-of the caller's SSO token, see obo-token.ts).
   * It must refuse a tenant that is not the caller's: Graph resolves the team's site in the
   * token's tenant, so this is what keeps one tenant's data out of another's.
   */
  getAccessToken(tenantId: string): Promise<string>;
  /**
   * The server's keys that seal what the app vouches for in the team's lists (who wrote a note,
   * what an owner set), which any member of the team could otherwise rewrite in SharePoint
   * (row-seal.ts): STORE_SEAL_KEYS, or the Key Vault secret STORE_SEAL_KEY_NAME.
   */
  sealKeys: SealKeys;
  /** Retries of throttled (429/503/504) requests, honouring Retry-After; default 4. */
  maxRetries?: number;
  /** How long a team's site and app list ids are remembered; default 10 minutes. */
  siteCacheMs?: number;
  /**
   * Who the current caller is (`user`, e.g. `tenant/user`) and which of their requests is being
   * served, for each user's share of the app's SharePoint budget (unit-share.ts): a request is
   * admitted once, at its first Graph call, and then runs to its end. Without it, no share.
   */
  currentUser?: () => { user: string; request: string } | undefined;
  /**
   * A user's share in SharePoint resource units per minute; default 600, half of the smallest
   * tenant's 1,200: a ward of ten lists costs about 20 units a view, so a user can open their
   * lists every two seconds and still leave half of the budget to everyone else.
   */
  userUnitsPerMinute?: number;
}

/**
 * The team store in each team's SharePoint site through Microsoft Graph: one SharePoint list
 * per patient list plus the app's lists ("Patients app – lists", "– settings", "– notes",
 * "– default lists", "– manual patients"), created on first write. Nothing is kept locally but ids of sites and
 * lists; every answer comes from Graph.
 */
export function openGraphStore(options: GraphStoreOptions): TeamStore {
  const baseUrl = options.baseUrl ?? 'https://graph.microsoft.com';
  const apis = new Map<string, GraphApi>();
  const sites = teamSites(options.siteCacheMs);
  const queue = writeQueue();
  const share = options.currentUser ? unitShare({ unitsPerWindow: options.userUnitsPerMinute ?? 600 }) : undefined;
  const user = () => options.currentUser?.();
  const sealer = rowSealer(options.sealKeys);

  const apiFor = (tenantId: string): GraphApi => {
    let api = apis.get(tenantId);
    if (!api) {
      api = createGraphApi({
        baseUrl,
        maxRetries: options.maxRetries,
        getAccessToken: () => options.getAccessToken(tenantId),
        charge(units) {
          const who = user();
          if (share && who) share.charge(who.user, units);
        },
      });
      apis.set(tenantId, api);
    }
    return api;
  };

  const open = async (team: TeamKey) => {
    const who = user();
    if (share && who) share.admit(who.user, who.request);
    const api = apiFor(team.tenantId);
    // Keys read from Key Vault arrive with its first answer.
    if (!options.sealKeys.current().length) await options.sealKeys.refresh?.();
    return { api, queue, sealer, site: await sites.open(api, team.tenantId, team.teamId) };
  };

  const { resolve, ...lists } = graphListOps(open);
  const listExists = async (team: TeamKey, listId: string) => (await resolve(team, listId)) !== null;
  const ops = {
    ...lists,
    ...graphTeamDataOps(open, listExists),
    ...graphManualOps(open),
    ...graphManualCreateOps(open),
    ...graphDischargeOps(open, lists),
  };

  return {
    ...forgettingMissing(ops, (team) => sites.forget(team.tenantId, team.teamId)),
    async ready() {
      // Nothing can be read or written without a seal key (a Key Vault secret missing or unreadable, say).
      if (!options.sealKeys.current().length) await options.sealKeys.refresh?.();
      if (!options.sealKeys.current().length)
        throw new Error('no seal key (STORE_SEAL_KEYS or the Key Vault secret STORE_SEAL_KEY_NAME) could be read');
      // Graph is reached on behalf of callers: with none, readiness is that Graph answers at all (any status).
      const res = await fetch(`${baseUrl}/v1.0/`, { signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
    },
    async close() {
      apis.clear();
    },
  };
}

/**
 * The operations, each of which, when a 404 escapes it, has the team's kept site and app list ids
 * dropped (`forget`) and fails with a clear error to try again. The operations answer the 404s
 * they expect themselves (a patient list deleted: `no_list`); one that escapes is of something
 * kept between calls: the site, or an app list, that a SharePoint admin deleted or moved since.
 * Kept, it would fail every call of the team until it expires; forgotten, the next call looks
 * again (and finds the list gone, or recreates it on write). A failed call wrote nothing that
 * stands, so trying again cannot make a change twice.
 */
function forgettingMissing<T extends object>(ops: T, forget: (team: TeamKey) => void): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, op] of Object.entries(ops) as [string, (team: TeamKey, ...rest: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (team: TeamKey, ...rest: unknown[]) => {
      try {
        return await op(team, ...rest);
      } catch (err) {
        if (!isStatus(err, 404)) throw err;
        forget(team);
        throw new GraphAccessError(
          'graph_failed',
          "The team's SharePoint site or one of the app's lists in it was not where it was (deleted or moved in SharePoint); try again.",
          404,
        );
      }
    };
  }
  return wrapped as T;
}
