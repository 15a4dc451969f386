/**
 * `npm run package:deploy`: the deploy package the Agents Toolkit uploads to the App Service.
 * Builds the tab and the server, stages the built files with the production dependencies only
 * (`npm ci --omit=dev` in a clean folder, native modules compiled for the Node.js that runs this
 * script, which must be the App Service's) in build/deploy/app, and zips that folder into
 * build/deploy/patients.zip. Nothing else goes in: no sources, tests, dev-only chunks or dev packages.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sizeReport } from './deploy/size.js';
import { zipFolder } from './deploy/zip.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build', 'deploy');
const stage = join(out, 'app');
const zipPath = join(out, 'patients.zip');
/** At most this much unpacked (issue 14): a zip deploy of more is slow, and most of it would be unused. */
const MAX_UNPACKED = 150 * 1024 * 1024;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/** Node's headers beside the running node (Debian's /usr/include/node, or a Node.js from the npm registry), so node-gyp downloads nothing. */
function nodeHeaders(): string | undefined {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/** Native packages keep their compiled module only: no sources, object files or test extensions. */
function pruneNative(nodeModules: string) {
  const packages = readdirSync(nodeModules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((scoped) => join(name, scoped)) : [name],
  );
  for (const name of packages) {
    const dir = join(nodeModules, name);
    if (!existsSync(join(dir, 'binding.gyp'))) continue;
    const release = join(dir, 'build', 'Release');
    const modules = existsSync(release) ? readdirSync(release).filter((f) => f.endsWith('.node') && !f.startsWith('test_')) : [];
    if (!modules.length) throw new Error(`${name} has no compiled module in build/Release`);
    for (const entry of readdirSync(join(dir, 'build'))) if (entry !== 'Release') rmSync(join(dir, 'build', entry), { recursive: true });
    for (const entry of readdirSync(release)) if (!modules.includes(entry)) rmSync(join(release, entry), { recursive: true });
    for (const sources of ['deps', 'src']) rmSync(join(dir, sources), { recursive: true, force: true });
  }
}

/**
 * Files node never loads: source maps, TypeScript sources and declarations, and documentation (licences stay). They
 * are about half of the production dependencies' bytes (most of them OpenTelemetry's and Azure's).
 */
const unused = (name: string) => /\.(map|ts|mts|cts)$/.test(name) || (/\.md$/i.test(name) && !/^licen[cs]e/i.test(name));

function pruneUnused(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) pruneUnused(path);
    else if (entry.isFile() && unused(entry.name)) rmSync(path);
  }
}

/** npm links package commands into .bin folders; production runs none, and a zip deploy keeps no links. */
function removeBinLinks(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === '.bin') rmSync(path, { recursive: true });
    else removeBinLinks(path);
  }
}

try {
  run('npm', ['run', 'build'], root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  // The built tab, and the server files production loads (the dev-only chunks stay behind).
  cpSync(join(root, 'dist', 'client'), join(stage, 'dist', 'client'), { recursive: true });
  const serverFiles = JSON.parse(readFileSync(join(root, 'dist', 'server', 'production-files.json'), 'utf8')) as string[];
  for (const file of serverFiles) cpSync(join(root, 'dist', 'server', file), join(stage, 'dist', 'server', file));

  // Production dependencies exactly as locked, built for this Node.js.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  cpSync(join(root, 'package.json'), join(stage, 'package.json'));
  cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
  const headers = nodeHeaders();
  run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], stage, {
    ...process.env,
    // npm and node-gyp run on the node that runs this script, whatever node comes first on PATH.
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    // No prebuilt binaries are fetched: native modules are compiled here, against these headers.
    npm_config_build_from_source: 'true',
    ...(headers ? { npm_config_nodedir: headers } : {}),
  });
  pruneNative(join(stage, 'node_modules'));
  removeBinLinks(join(stage, 'node_modules'));
  pruneUnused(join(stage, 'node_modules'));
  rmSync(join(stage, 'package-lock.json'));
  // What App Service reads: the start command, the module type, and the Node.js the native modules were built for.
  const major = process.versions.node.split('.')[0];
  const deployed = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    type: 'module',
    engines: { node: `${major}.x` },
    scripts: { start: 'node dist/server/index.js' },
    dependencies: pkg.dependencies,
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(deployed, null, 2)}\n`);

  const files = await zipFolder(stage, zipPath);
  const report = sizeReport(stage);
  console.log(
    `Wrote ${relative(root, zipPath)} (${(statSync(zipPath).size / 1048576).toFixed(1)} MB) for Node.js ${major}: ${files} files, ${report}`,
  );
  if (report.total > MAX_UNPACKED)
    throw new Error(`the package is ${(report.total / 1048576).toFixed(1)} MB unpacked, over ${MAX_UNPACKED / 1048576} MB`);
} catch (e) {
  console.error(`package:deploy: ${(e as Error).message}`);
  process.exitCode = 1;
}
