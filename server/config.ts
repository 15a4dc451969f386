import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Settings from the environment, checked once at start. Every missing or bad value is reported
 * together. Only dev mode exists so far: production (Azure AD SSO and Graph membership) comes
 * with the Teams integration.
 */
const schema = z.object({
  APP_MODE: z.enum(['dev']).default('dev'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  DATA_DIR: z.string().min(1).default('./data'),
  STORE: z.enum(['sqlite']).default('sqlite'),
  STATIC_DIR: z.string().min(1).default('./dist/client'),
  /** Bundles to load into the sandbox instead of generated patients (folders dstu2/, stu3/, r4/). */
  SANDBOX_FHIR_DATA: z.string().min(1).optional(),
  SANDBOX_PATIENTS: z.coerce.number().int().min(1).max(5000).default(200),
  /** The app's registration at the EHR's interop partner; in dev mode the sandbox registers one when absent. */
  EHR_CLIENT_ID: z.string().min(1).optional(),
  /** Comma-separated: more than one during secret rotation. */
  EHR_CLIENT_SECRETS: z.string().min(1).optional(),
  /** An identifier system that counts as MRN besides identifier type MR. */
  EHR_MRN_SYSTEM: z.string().url().optional(),
  EHR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});

export type Config = z.infer<typeof schema> & { dataDir: string; staticDir: string; host: string };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (Boolean(c.EHR_CLIENT_ID) !== Boolean(c.EHR_CLIENT_SECRETS)) {
    throw new ConfigError('Invalid configuration:\n  EHR_CLIENT_ID and EHR_CLIENT_SECRETS must be set together');
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  // Dev mode binds to loopback only: it has a token endpoint for any dev user.
  return { ...c, dataDir: abs(c.DATA_DIR), staticDir: abs(c.STATIC_DIR), host: '127.0.0.1' };
}
