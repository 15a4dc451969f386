import type { RequestHandler } from 'express';
import type { ReadyAnswer } from '../../contract/teams.js';
import { logger } from './logger.js';
import { CodedError } from './problem.js';

/** Resolves when what it checks can serve now; rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessOptions {
  /** A check that has not answered within this long has failed; default 5 s. */
  timeoutMs?: number;
  /** An answer is reused this long, so that callers without a token cannot make the app write and call out at will; default 2 s. */
  reuseMs?: number;
}

/**
 * `GET /api/ready`: 200 `{status:"ready",checks}` when every check passes, 503
 * `{status:"not_ready",checks}` naming the failed ones. The answer says only ok or failed: what
 * went wrong is logged by its error name, since an error's text can hold an address or a key.
 */
export function readinessRoute(checks: Record<string, ReadinessCheck>, options: ReadinessOptions = {}): RequestHandler {
  const timeoutMs = options.timeoutMs ?? 5000;
  const reuseMs = options.reuseMs ?? 2000;
  let last: { at: number; answer: Promise<ReadyAnswer> } | undefined;
  const run = async (): Promise<ReadyAnswer> => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, 'ok'] as const;
        } catch (err) {
          // A store's own failure says what failed below in `detail`, written for the log (as the error handler logs it).
          const detail = err instanceof CodedError ? (err as unknown as { detail?: unknown }).detail : undefined;
          logger.warn(
            { check: name, err: { name: (err as Error)?.name ?? 'unknown' }, ...(typeof detail === 'string' ? { detail } : {}) },
            'readiness check failed',
          );
          return [name, 'failed'] as const;
        }
      }),
    );
    return { status: results.every(([, r]) => r === 'ok') ? 'ready' : 'not_ready', checks: Object.fromEntries(results) };
  };
  return (_req, res, next) => {
    const now = Date.now();
    if (!last || now - last.at >= reuseMs) last = { at: now, answer: run() };
    last.answer.then((answer) => void res.status(answer.status === 'ready' ? 200 : 503).json(answer), next);
  };
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('check timed out'), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * App Service leaves a setting that is a Key Vault reference it could not resolve as the reference
 * itself (`@Microsoft.KeyVault(...)`): such a setting is there but not usable. Gives the names.
 * (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references, "Troubleshoot").
 */
export function unresolvedKeyVaultReferences(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([, value]) => value !== undefined && /^\s*@Microsoft\.KeyVault\(/i.test(value))
    .map(([name]) => name);
}

/**
 * Configuration is complete when no environment variable is a Key Vault reference App Service
 * could not resolve. Start refuses such a value in the app's own settings (config.ts); this also
 * covers those the libraries read (AZURE_CLIENT_ID for the managed identity, for example), and
 * the environment as it is after a restart of the platform rather than of the app.
 */
export function configurationCheck(env: Record<string, string | undefined>): ReadinessCheck {
  return async () => {
    const unresolved = unresolvedKeyVaultReferences(env);
    if (unresolved.length) {
      logger.error({ settings: unresolved }, 'settings are Key Vault references App Service could not resolve');
      throw Object.assign(new Error('unresolved Key Vault references'), { name: 'UnresolvedKeyVaultReference' });
    }
  };
}
