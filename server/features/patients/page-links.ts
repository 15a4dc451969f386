import { heldQuota, jsonKind, memoryHeldItems, MiB, type HeldItems } from '../../platform/held-items.js';
import { invalidPage } from './search-query.js';

/** How long a next-page link can be used: a search left longer is started again. */
export const PAGE_LINK_TTL_MS = 15 * 60_000;

/** Who a page link was given to: from the verified token (tenant, user) and the route (team). */
export interface PageHolder {
  tenantId: string;
  teamId: string;
  userId: string;
}

/**
 * Page links one user holds at once, across teams (one per team: a new search there replaces it).
 * Past this, the user's oldest link goes, never another user's: a person pages through a few
 * searches at a time, and one account cannot take a tenant's share by searching in many teams.
 */
export const PAGE_LINKS_PER_USER = 25;

/** What a page link leads to: the EHR's next link of a search this server made, and the page size it asked. */
export interface NextPage {
  url: string;
  count?: number;
}

/** A page link's grant: the next page, for whom, and the team's EHR link it was found through. */
interface PageGrant extends PageHolder, NextPage {
  base: string;
}

const sameHolder = (a: PageHolder, b: PageHolder) => a.tenantId === b.tenantId && a.teamId === b.teamId && a.userId === b.userId;

/**
 * Next-page links of patient searches. The EHR's next link never goes to the tab: the tab gets a
 * random ticket (32 bytes, base64url) standing for it, which only this server can have issued and
 * which leads only to that link, for the tenant, team and user it was issued to, through the
 * team's EHR link of the time, for `ttlMs`. Held in `store`: this process's memory by default,
 * or the table every instance shares (app.ts), so a page issued by one instance pages on through
 * another. One per user and team: a new search, or the next page, replaces the link before it.
 * At most `max` are held per instance, a sixteenth of them per tenant and PAGE_LINKS_PER_USER
 * per user; when full a new one is refused rather than pushing out someone else's.
 */
export function createPageLinks({ ttlMs = PAGE_LINK_TTL_MS, max = 10_000, now = Date.now, store = memoryHeldItems({ now }) as HeldItems } = {}) {
  const held = jsonKind<PageGrant>(store, {
    name: 'page',
    ttlMs,
    quota: heldQuota({ items: max, bytes: Math.max(MiB, max * 4 * 1024), perUser: PAGE_LINKS_PER_USER, replaceOldest: true }),
    busy: 'Too many searches are being paged through.',
  });
  // The slot names the holder (a table keeps only its hash).
  const slotOf = (holder: PageHolder) => JSON.stringify([holder.tenantId, holder.teamId, holder.userId]);

  return {
    /** A page link for `next`, found through the team's EHR link `base`, for `holder` only. */
    async issue(holder: PageHolder, base: string, next: NextPage): Promise<string> {
      const grant: PageGrant = {
        tenantId: holder.tenantId,
        teamId: holder.teamId,
        userId: holder.userId,
        base,
        url: next.url,
        ...(next.count !== undefined ? { count: next.count } : {}),
      };
      return (await held.put(grant, { owner: holder.tenantId, user: holder.userId, slot: slotOf(holder) })).ticket;
    },

    /**
     * The next page a link leads to, for its holder while the team is still linked to `base`; a
     * 400 `invalid_page` otherwise (unknown, forged, replaced, another team's or user's, expired),
     * before anything is asked of the EHR.
     */
    async redeem(ticket: string, holder: PageHolder, base: string): Promise<NextPage> {
      const found = await held.peek(ticket);
      if (found.state === 'expired') throw invalidPage('it has expired');
      if (found.state !== 'held' || !sameHolder(found.value, holder)) throw invalidPage('it is not a link this search gave you');
      if (found.value.base !== base) throw invalidPage("the team's EHR link has changed since");
      const { url, count } = found.value;
      return count !== undefined ? { url, count } : { url };
    },

    /** How many links this instance holds (for tests of the cap). */
    get size() {
      return held.size;
    },
  };
}

export type PageLinks = ReturnType<typeof createPageLinks>;
