import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MemoryStore, ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type RateLimitInfo, type Store } from 'express-rate-limit';
import { logger } from './logger.js';
import { Problem } from './problem.js';
import { requestContext } from './request-context.js';

/**
 * Rate limits of the API, so one script cannot flood the EHR or the app on a ward's behalf:
 *
 * - per verified caller (tenant + user), by kind of call: `default`, `search` (patient search,
 *   forwarded to the EHR) and `connectionCheck` (a real probe of an EHR link);
 * - per tenant, over all its callers and kinds;
 * - per client address, for failed authentications only.
 *
 * Defaults are far above what a ward does by hand and far below a scripted flood. Counts live in
 * express-rate-limit's MemoryStore (one process); pass `store` to share them between instances
 * (e.g. a Redis store, one instance per limiter name).
 */

/** The kinds of call a route declares; each has its own per-user budget. */
export type RateLimitKind = 'default' | 'search' | 'connectionCheck';

/** The limiters, each with its own store (a store must not be shared between limiters). */
export type LimiterName = 'user:default' | 'user:search' | 'user:connectionCheck' | 'tenant' | 'failedAuth';

export interface RateLimitSettings {
  /** Calls per user per `windowMs` that are neither searches nor connection checks. */
  userDefault: number;
  /** Patient searches per user per `windowMs`. */
  userSearch: number;
  /** EHR connection checks per user per `windowMs`. */
  userConnectionCheck: number;
  /** Calls per tenant per `windowMs`, all users and kinds together. */
  tenant: number;
  /** The window of the per-user and per-tenant limits. */
  windowMs: number;
  /** Failed authentications per client address per `failedAuthWindowMs`; further calls from it get 429. */
  failedAuth: number;
  failedAuthWindowMs: number;
}

export const defaultRateLimits: Readonly<RateLimitSettings> = {
  userDefault: 600,
  userSearch: 120,
  userConnectionCheck: 10,
  tenant: 3000,
  windowMs: 60_000,
  failedAuth: 30,
  failedAuthWindowMs: 5 * 60_000,
};

export interface RateLimitOptions {
  /** A fresh store for each limiter; the library's MemoryStore when absent. `failedAuth`'s must implement `get`. */
  store?: (limiter: LimiterName) => Store;
  limits?: Partial<RateLimitSettings>;
}

export interface FailedAuthLimit {
  /** Middleware before authentication: 429 `rate_limited` while the address is over its failed authentications. */
  guard: RequestHandler;
  /** Counts one failed authentication of the request's address; the authentication middleware's `onAuthRefused`. */
  record: (req: Request) => void;
}

export interface RateLimits {
  /** Middleware after authentication: the caller's budget for this kind of call, then the tenant's. */
  perCaller: (kind: RateLimitKind) => RequestHandler;
  failedAuth: FailedAuthLimit;
  /** The settings in force. */
  limits: Readonly<RateLimitSettings>;
  /** Stops the stores' timers (MemoryStore cleans up on an interval). */
  shutdown: () => Promise<void>;
}

const seconds = (resetTime: Date | undefined, windowMs: number) =>
  Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));

/** The 429 of the API, with `Retry-After` and the draft-7 `RateLimit` headers of the limiter that refused. */
function refuse(res: Response, next: NextFunction, info: { limit: number; used: number; resetTime?: Date }, windowMs: number): void {
  const wait = seconds(info.resetTime, windowMs);
  if (!res.headersSent) {
    res.setHeader('Retry-After', String(wait));
    res.setHeader('RateLimit-Policy', `${info.limit};w=${Math.ceil(windowMs / 1000)}`);
    res.setHeader('RateLimit', `limit=${info.limit}, remaining=0, reset=${wait}`);
  }
  next(new Problem('rate_limited', `Too many requests. Try again in ${wait} second${wait === 1 ? '' : 's'}.`));
}

/** A refusal is logged once per key and window (when the limit is first passed), not for every call of a flood. */
function logFirstRefusal(limiter: LimiterName, info: { limit: number; used: number }, tenantId?: string): void {
  if (info.used === info.limit + 1) logger.warn({ limiter, limit: info.limit, ...(tenantId ? { tenantId } : {}) }, 'rate limit reached');
}

function callerOf(): { tenantId: string; userId: string } {
  const caller = requestContext().caller;
  if (!caller) throw new Error('rate limits per caller must come after authentication');
  return caller;
}

export function createRateLimits(options: RateLimitOptions = {}): RateLimits {
  const limits: RateLimitSettings = { ...defaultRateLimits, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`rate limit ${name} must be a whole number of at least 1`);
  }
  const stores: Store[] = [];
  const storeFor = (name: LimiterName): Store => {
    const store = options.store?.(name) ?? new MemoryStore();
    stores.push(store);
    return store;
  };

  const common = {
    windowMs: limits.windowMs,
    legacyHeaders: false,
    // A store that fails (a shared cache down) must not take the ward's lists down with it.
    passOnStoreError: true,
    logger: {
      error: (err: unknown, message?: string) => logger.error({ err: { name: (err as Error)?.name } }, message ?? 'rate limit store error'),
      warn: (err: unknown, message?: string) => logger.warn({ err: { name: (err as Error)?.name } }, message ?? 'rate limit warning'),
    },
  } satisfies Partial<Options>;

  const userLimit: Record<RateLimitKind, number> = {
    default: limits.userDefault,
    search: limits.userSearch,
    connectionCheck: limits.userConnectionCheck,
  };
  const perUser = {} as Record<RateLimitKind, RequestHandler>;
  for (const kind of ['default', 'search', 'connectionCheck'] as const) {
    const name: LimiterName = `user:${kind}`;
    perUser[kind] = rateLimit({
      ...common,
      limit: userLimit[kind],
      standardHeaders: 'draft-7',
      store: storeFor(name),
      keyGenerator: () => {
        const { tenantId, userId } = callerOf();
        return `${tenantId}:${userId}`;
      },
      handler: (req, res, next) => {
        const info = (req as Request & { rateLimit: RateLimitInfo }).rateLimit;
        logFirstRefusal(name, info, callerOf().tenantId);
        refuse(res, next, info, limits.windowMs);
      },
    });
  }

  // The tenant's count sits behind the user's: a user over their own budget spends none of the tenant's.
  // Its headers stay off answers that pass, which carry the user's budget.
  const perTenant = rateLimit({
    ...common,
    limit: limits.tenant,
    standardHeaders: false,
    requestPropertyName: 'tenantRateLimit',
    store: storeFor('tenant'),
    keyGenerator: () => callerOf().tenantId,
    handler: (req, res, next) => {
      const info = (req as Request & { tenantRateLimit: RateLimitInfo }).tenantRateLimit;
      logFirstRefusal('tenant', info, callerOf().tenantId);
      refuse(res, next, info, limits.windowMs);
    },
  });

  const perCaller = (kind: RateLimitKind): RequestHandler => {
    const user = perUser[kind];
    if (!user) throw new Error(`unknown rate limit kind ${String(kind)}`);
    return (req, res, next) => {
      void user(req, res, (err?: unknown) => (err ? next(err) : void perTenant(req, res, next)));
    };
  };

  return { perCaller, failedAuth: failedAuthLimit(storeFor('failedAuth'), limits), limits, shutdown: () => shutdownAll(stores) };
}

/** Failed authentications by client address: counted by the authentication middleware, checked before it. */
function failedAuthLimit(store: Store, limits: RateLimitSettings): FailedAuthLimit {
  if (typeof store.get !== 'function') throw new Error('the failedAuth store must implement get()');
  const get = store.get.bind(store);
  const windowMs = limits.failedAuthWindowMs;
  // The store learns its window as the library would tell it (MemoryStore needs it).
  void Promise.resolve(store.init?.({ windowMs } as Options)).catch(() => logger.error('rate limit store could not start'));
  const keyOf = (req: Request) => {
    const address = req.ip ? clientAddress(req.ip) : undefined;
    return address ? `failed-auth:${ipKeyGenerator(address)}` : undefined;
  };

  const guard: RequestHandler = (req, res, next) => {
    const key = keyOf(req);
    if (!key) return next();
    Promise.resolve(get(key)).then(
      (info: ClientRateLimitInfo | undefined) => {
        if (info && info.totalHits >= limits.failedAuth && (!info.resetTime || info.resetTime.getTime() > Date.now())) {
          return refuse(res, next, { limit: limits.failedAuth, used: info.totalHits, resetTime: info.resetTime }, windowMs);
        }
        next();
      },
      () => {
        logger.error('rate limit store could not be read; the call goes on without a failed-authentication check');
        next();
      },
    );
  };

  const record = (req: Request): void => {
    const key = keyOf(req);
    if (!key) return;
    Promise.resolve(store.increment(key)).then(
      (info) => {
        if (info.totalHits === limits.failedAuth) logger.warn({ limiter: 'failedAuth', limit: limits.failedAuth }, 'rate limit reached');
      },
      () => logger.error('rate limit store could not count a failed authentication'),
    );
  };

  return { guard, record };
}

/**
 * The client's address without a port. Behind a proxy (App Service's front end) the address comes
 * from X-Forwarded-For, which may carry the client's source port ("203.0.113.5:4000",
 * "[2001:db8::1]:4000"): each port would count on its own, so a flood from one address would
 * never reach the limit.
 */
export function clientAddress(ip: string): string {
  if (isIP(ip)) return ip;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed && isIP(bracketed[1]) === 6) return bracketed[1];
  const withPort = /^([^:]+):\d+$/.exec(ip);
  if (withPort && isIP(withPort[1]) === 4) return withPort[1];
  return ip;
}

async function shutdownAll(stores: Store[]): Promise<void> {
  await Promise.all(stores.map(async (store) => store.shutdown?.()));
}
