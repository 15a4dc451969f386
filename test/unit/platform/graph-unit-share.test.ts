import { describe, expect, it } from 'vitest';
import { unitShare, unitsOf } from '../../../server/platform/graph/unit-share';

describe("a user's share of the app's SharePoint budget", () => {
  it('refuses a new request of a user past the share, and no one else', () => {
    const share = unitShare({ unitsPerWindow: 10, windowMs: 60_000 });
    share.admit('tenant/busy', 'r1');
    share.charge('tenant/busy', 10);
    expect(() => share.admit('tenant/busy', 'r2')).toThrow(expect.objectContaining({ code: 'throttled', status: 429 }));
    expect(() => share.admit('tenant/busy', 'r2')).toThrow(/try again in (59|60) seconds/);
    expect(() => share.admit('tenant/colleague', 'r3')).not.toThrow();
  });

  it('lets a request admitted before the share ran out finish: a bulk add is not cut half-way', () => {
    const share = unitShare({ unitsPerWindow: 10 });
    share.admit('tenant/owner', 'bulk');
    share.charge('tenant/owner', 40);
    expect(() => share.admit('tenant/owner', 'bulk')).not.toThrow();
    expect(() => share.admit('tenant/owner', 'next')).toThrow(expect.objectContaining({ code: 'throttled' }));
  });

  it('starts each user afresh in the next window', async () => {
    const share = unitShare({ unitsPerWindow: 4, windowMs: 30 });
    share.admit('tenant/u', 'r1');
    share.charge('tenant/u', 4);
    expect(() => share.admit('tenant/u', 'r2')).toThrow();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(() => share.admit('tenant/u', 'r2')).not.toThrow();
  });
});

describe('resource units of a Graph request, as SharePoint documents them', () => {
  it('charges 1 for a single item, 2 for a query of many and for every write', () => {
    expect(unitsOf('GET', '/sites/s/lists/l/items/7?expand=fields')).toBe(1);
    expect(unitsOf('GET', '/groups/g/sites/root')).toBe(1);
    expect(unitsOf('GET', '/sites/s/lists/l/items?expand=fields&$top=5000')).toBe(2);
    expect(unitsOf('GET', '/sites/s/lists/l/columns')).toBe(2);
    expect(unitsOf('POST', '/sites/s/lists/l/items')).toBe(2);
    expect(unitsOf('PATCH', '/sites/s/lists/l/items/7/fields')).toBe(2);
    expect(unitsOf('DELETE', '/sites/s/lists/l')).toBe(2);
  });
});
