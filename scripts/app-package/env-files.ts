import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Environment names are file-name parts: `env/.env.<name>`. */
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export class EnvFileError extends Error {}

/**
 * Parses a dotenv file as the Agents Toolkit writes them: `KEY=value` lines, `#` comments,
 * optional single or double quotes around the value. Later keys win.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  }
  return out;
}

export interface LoadedEnv {
  name: string;
  values: Record<string, string>;
  /** The files read, in order (the `.user` file only when it exists). */
  files: string[];
}

/**
 * Reads `env/.env.<name>` (must exist) and then the git-ignored `env/.env.<name>.user`
 * (secrets; optional), whose values win.
 */
export function loadEnv(root: string, name: string): LoadedEnv {
  if (!ENV_NAME.test(name)) throw new EnvFileError(`Invalid environment name "${name}": use letters, digits, "-" and "_".`);
  const base = join(root, 'env', `.env.${name}`);
  if (!existsSync(base)) throw new EnvFileError(`Environment file env/.env.${name} not found.`);
  const files = [base];
  const values = parseEnvFile(readFileSync(base, 'utf8'));
  const user = `${base}.user`;
  if (existsSync(user)) {
    files.push(user);
    Object.assign(values, parseEnvFile(readFileSync(user, 'utf8')));
  }
  return { name, values, files };
}
