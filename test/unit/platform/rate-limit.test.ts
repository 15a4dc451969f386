import express, { type Request } from 'express';
import { MemoryStore, type Store } from 'express-rate-limit';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../server/platform/error-handler';
import { problem } from '../../../server/platform/problem';
import {
  clientAddress,
  createRateLimits,
  defaultRateLimits,
  type LimiterName,
  type RateLimitOptions,
  type RateLimits,
} from '../../../server/platform/rate-limit';
import { requestContext, withRequestContext } from '../../../server/platform/request-context';
import { captureLogs } from '../../helpers/log-capture';

// The real logger's output.
const lines = captureLogs();

let server: Server | undefined;
let limits: RateLimits | undefined;
afterEach(async () => {
  await limits?.shutdown();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  limits = undefined;
});

const small = { userDefault: 5, userSearch: 3, userConnectionCheck: 2, tenant: 8, failedAuth: 3 };

/**
 * A tiny API as the app wires the limits: the failed-authentication guard, an authentication
 * step (Bearer `good:<tenant>:<user>`) that reports each refusal, then the per-caller limit.
 * The client address comes from X-Forwarded-For (trust proxy), so a test can call from several.
 */
async function start(options: RateLimitOptions = { limits: small }): Promise<string> {
  limits = createRateLimits(options);
  const { perCaller, failedAuth } = limits;
  const app = express();
  app.set('trust proxy', true);
  app.use(withRequestContext);
  const authenticate = (req: Request, _res: unknown, next: (err?: unknown) => void) => {
    const match = /^Bearer good:([\w-]+):([\w-]+)$/.exec(req.get('authorization') ?? '');
    if (!match) {
      failedAuth.record(req);
      throw problem('unauthenticated', 'The token is not valid.');
    }
    requestContext().caller = { tenantId: match[1], userId: match[2], roles: [] };
    next();
  };
  app.get('/lists', failedAuth.guard, authenticate, perCaller('default'), (_req, res) => void res.json({ ok: 'lists' }));
  app.get('/patients', failedAuth.guard, authenticate, perCaller('search'), (_req, res) => void res.json({ ok: 'search' }));
  app.put('/connection', failedAuth.guard, authenticate, perCaller('connectionCheck'), (_req, res) => void res.json({ ok: 'check' }));
  app.use(errorHandler);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const call = async (base: string, path: string, who: string | null, init: { method?: string; from?: string } = {}) => {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${who}`;
  if (init.from) headers['x-forwarded-for'] = init.from;
  const res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
};
const times = async (n: number, f: () => Promise<{ status: number }>) => {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await f()).status);
  return statuses;
};

describe('per-caller rate limits', () => {
  it('answers 429 rate_limited with Retry-After once a user passes their search budget', async () => {
    const base = await start();
    const first = await call(base, '/patients', 'good:t1:ada');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit')).toMatch(/^limit=3, remaining=2, reset=\d+$/);
    expect(first.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(first.headers.get('x-ratelimit-limit')).toBeNull();
    expect(await times(2, () => call(base, '/patients', 'good:t1:ada'))).toEqual([200, 200]);

    const refused = await call(base, '/patients', 'good:t1:ada');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 60).toBe(true);
    expect(refused.body).toEqual({
      code: 'rate_limited',
      message: `Too many requests. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
      requestId: refused.headers.get('x-request-id'),
    });
    expect(refused.headers.get('ratelimit')).toBe(`limit=3, remaining=0, reset=${wait}`);
  });

  it('keeps users apart, and each kind of call to its own budget', async () => {
    const base = await start();
    expect(await times(4, () => call(base, '/patients', 'good:t1:ada'))).toEqual([200, 200, 200, 429]);
    // Another user of the same tenant, and a user of the same id in another tenant, are still answered.
    expect((await call(base, '/patients', 'good:t1:grace')).status).toBe(200);
    expect((await call(base, '/patients', 'good:t2:ada')).status).toBe(200);
    // Ada's other calls have their own budget.
    expect((await call(base, '/lists', 'good:t1:ada')).status).toBe(200);
    expect(await times(3, () => call(base, '/connection', 'good:t1:ada', { method: 'PUT' }))).toEqual([200, 200, 429]);
  });

  it('limits a tenant over all its users, and a user over their own budget spends none of it', async () => {
    const base = await start();
    // Ada floods: 3 searches count for the tenant, the 10 refused ones do not.
    expect(await times(13, () => call(base, '/patients', 'good:t1:ada'))).toEqual([...Array(3).fill(200), ...Array(10).fill(429)]);
    expect(await times(5, () => call(base, '/lists', 'good:t1:grace'))).toEqual(Array(5).fill(200));
    // 8 calls of tenant t1 so far: the next from yet another user is refused, with the tenant's numbers.
    const refused = await call(base, '/lists', 'good:t1:linus');
    expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(refused.headers.get('ratelimit-policy')).toBe('8;w=60');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(base, '/lists', 'good:t2:linus')).status).toBe(200);
  });

  it('logs the first refusal of a window once, naming the limiter and tenant only', async () => {
    const base = await start();
    // A user id with letters no hex request id can hold, so finding it means the line names the user.
    await times(6, () => call(base, '/patients', 'good:t1:zoe-quill'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 40, msg: 'rate limit reached', limiter: 'user:search', limit: 3, tenantId: 't1' });
    expect(lines[0]).not.toContain('zoe-quill');
  });

  it('refuses to count a caller that is not authenticated yet (a wiring mistake)', async () => {
    limits = createRateLimits({ limits: small });
    const app = express();
    app.use(withRequestContext, limits.perCaller('default'), (_req, res) => void res.json({}));
    app.use(errorHandler);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.status).toBe(500);
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['unhandled error']);
  });
});

describe('failed authentications by address', () => {
  it('counts only failed authentications, and then refuses the address with 429', async () => {
    const base = await start();
    const from = '203.0.113.7';
    // Successful calls never count.
    expect(await times(4, () => call(base, '/lists', 'good:t1:ada', { from }))).toEqual([200, 200, 200, 200]);
    expect(await times(3, () => call(base, '/lists', 'forged', { from }))).toEqual([401, 401, 401]);
    const refused = await call(base, '/lists', 'forged', { from });
    expect(refused).toMatchObject({
      status: 429,
      body: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests\. Try again in \d+ seconds?\.$/) },
    });
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(60);
    expect(wait).toBeLessThanOrEqual(300);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=300');
    // The address is refused before authentication, whatever it sends.
    expect((await call(base, '/lists', null, { from })).status).toBe(429);
    expect((await call(base, '/lists', 'good:t1:ada', { from })).status).toBe(429);
    // Another address is still answered, and still told why it failed.
    expect((await call(base, '/lists', 'forged', { from: '198.51.100.20' })).status).toBe(401);
    expect((await call(base, '/lists', 'good:t1:ada', { from: '198.51.100.20' })).status).toBe(200);
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ msg: 'rate limit reached', limiter: 'failedAuth' })]);
  });

  it('counts IPv6 addresses by their /56 network', async () => {
    const base = await start();
    expect(await times(3, () => call(base, '/lists', 'forged', { from: '2001:db8:1:100::1' }))).toEqual([401, 401, 401]);
    expect((await call(base, '/lists', 'good:t1:ada', { from: '2001:db8:1:1ff::9' })).status).toBe(429);
    expect((await call(base, '/lists', 'good:t1:ada', { from: '2001:db8:2::1' })).status).toBe(200);
  });

  it("counts an address by itself whatever source port the proxy's X-Forwarded-For names with it", async () => {
    const base = await start();
    const ports = ['203.0.113.5:4000', '203.0.113.5:4001', '203.0.113.5:4002'];
    expect(await Promise.all(ports.map((from) => call(base, '/lists', 'forged', { from })).map((p) => p.then((r) => r.status)))).toEqual([
      401, 401, 401,
    ]);
    expect((await call(base, '/lists', 'forged', { from: '203.0.113.5:4003' })).status).toBe(429);
    expect((await call(base, '/lists', 'forged', { from: '[2001:db8:5::1]:4000' })).status).toBe(401);
  });

  it.each([
    ['203.0.113.5', '203.0.113.5'],
    ['203.0.113.5:443', '203.0.113.5'],
    ['[2001:db8::1]:8080', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:203.0.113.5', '::ffff:203.0.113.5'],
    ['not an address', 'not an address'],
  ])('reads the address %s as %s', (sent, address) => {
    expect(clientAddress(sent)).toBe(address);
  });
});

describe('stores and settings', () => {
  it('uses a store of the caller’s choosing, one per limiter', async () => {
    const made: LimiterName[] = [];
    const base = await start({
      limits: small,
      store: (name) => {
        made.push(name);
        return new MemoryStore();
      },
    });
    expect(made.sort()).toEqual(['failedAuth', 'tenant', 'user:connectionCheck', 'user:default', 'user:search']);
    expect(await times(4, () => call(base, '/patients', 'good:t1:ada'))).toEqual([200, 200, 200, 429]);
  });

  it('lets calls through when the store fails, and says so in the log', async () => {
    const broken = (): Store => ({
      increment: async () => Promise.reject(new Error('cache down for Jane Doe')),
      decrement: async () => undefined,
      resetKey: async () => undefined,
      get: async () => Promise.reject(new Error('cache down')),
    });
    const base = await start({ limits: small, store: broken });
    expect(await times(5, () => call(base, '/patients', 'good:t1:ada'))).toEqual(Array(5).fill(200));
    expect((await call(base, '/lists', 'forged')).status).toBe(401);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain('Jane');
  });

  it('defaults to limits a ward never reaches by hand, and refuses nonsense settings', () => {
    expect(defaultRateLimits).toEqual({
      userDefault: 600,
      userSearch: 120,
      userConnectionCheck: 10,
      tenant: 3000,
      windowMs: 60_000,
      failedAuth: 30,
      failedAuthWindowMs: 300_000,
    });
    expect(() => createRateLimits({ limits: { userSearch: 0 } })).toThrow('userSearch');
    expect(() => createRateLimits({ limits: { tenant: 1.5 } })).toThrow('tenant');
    expect(() =>
      createRateLimits({
        store: () => ({
          increment: async () => ({ totalHits: 1, resetTime: undefined }),
          decrement: async () => undefined,
          resetKey: async () => undefined,
        }),
      }),
    ).toThrow('get()');
  });
});
