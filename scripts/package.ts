/**
 * `npm run package [-- --env <name>]`: builds appPackage/build/appPackage.<name>.zip from
 * appPackage/ and env/.env.<name> (+ env/.env.<name>.user). Default environment: local.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppPackage } from './app-package/build.js';
import { parseArgs } from './app-package/args.js';

const root = fileURLToPath(new URL('..', import.meta.url));

try {
  const { env } = parseArgs(process.argv.slice(2));
  const result = await buildAppPackage({ root, env });
  console.log(`Wrote ${relative(root, result.zipPath)} (version ${String(result.manifest.version)}): ${result.files.join(', ')}`);
  for (const warning of result.warnings) console.warn(`Warning: ${warning}`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
