import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphApi, type GraphApi } from '../../../server/platform/graph/graph-api';

// A collection read through Graph stops at the number of rows asked for, however many pages the
// collection has: members of a team's group can add rows to its SharePoint lists without end, and
// a read that followed every next link would hold them all. `more` says whether rows were left.

/** Pages served in turn: each a list of row ids, with a next link when another page follows. */
let pages: number[][];
let asked: string[];
let server: Server;
let api: GraphApi;

beforeEach(async () => {
  asked = [];
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://graph.test');
    const n = Number(url.searchParams.get('page') ?? '0');
    const next = n + 1 < pages.length ? new URL(url) : null;
    next?.searchParams.set('page', String(n + 1));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        value: (pages[n] ?? []).map((id) => ({ id })),
        ...(next ? { '@odata.nextLink': `${base}${next.pathname}${next.search}` } : {}),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = createGraphApi({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, getAccessToken: async () => 'token', maxRetries: 0 });
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

describe('a bounded read of a Graph collection', () => {
  it('stops following pages once it has read maxItems rows, and says that more were left', async () => {
    pages = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const read = await api.getAll<{ id: number }>('/groups/g/members', { maxItems: 3 });
    expect(ids(read.items)).toEqual([1, 2, 3]);
    expect(read.more).toBe(true);
    // The pages past the bound were never asked for.
    expect(asked).toHaveLength(2);
  });

  it('reads exactly maxItems rows with no next link as all there is', async () => {
    pages = [
      [1, 2],
      [3, 4],
    ];
    const read = await api.getAll<{ id: number }>('/groups/g/members', { maxItems: 4 });
    expect(ids(read.items)).toEqual([1, 2, 3, 4]);
    expect(read.more).toBe(false);
    expect(asked).toHaveLength(2);
  });

  it('reads exactly maxItems rows with a next link as more, without following it', async () => {
    pages = [[1, 2], [3, 4], [5]];
    const read = await api.getAll<{ id: number }>('/groups/g/members', { maxItems: 4 });
    expect(ids(read.items)).toEqual([1, 2, 3, 4]);
    expect(read.more).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('cuts a page larger than the rows left to read (a collection that ignores $top), and says more were left', async () => {
    pages = [[1, 2, 3, 4, 5]];
    const read = await api.getAll<{ id: number }>('/groups/g/members', { maxItems: 3 });
    expect(ids(read.items)).toEqual([1, 2, 3]);
    expect(read.more).toBe(true);
  });

  it('reads a collection shorter than the bound whole, with no more', async () => {
    pages = [[1, 2], [3], []];
    const read = await api.getAll<{ id: number }>('/groups/g/members', { maxItems: 10 });
    expect(ids(read.items)).toEqual([1, 2, 3]);
    expect(read.more).toBe(false);
    expect(asked).toHaveLength(3);
  });

  it("asks SharePoint for list items no more than the bound a page, up to SharePoint's 5,000", async () => {
    pages = [[1]];
    await api.getAll('/sites/s/lists/l/items?expand=fields', { maxItems: 20 });
    await api.getAll('/sites/s/lists/l/items?expand=fields', { maxItems: 20_000 });
    expect(asked.map((path) => new URL(path, 'http://graph.test').searchParams.get('$top'))).toEqual(['20', '5000']);
  });

  it('refuses a read without a positive whole bound', async () => {
    pages = [[1]];
    for (const maxItems of [0, -1, 1.5, Number.POSITIVE_INFINITY, Number.NaN]) {
      await expect(api.getAll('/groups/g/members', { maxItems }), String(maxItems)).rejects.toThrow(RangeError);
    }
    expect(asked).toEqual([]);
  });
});
