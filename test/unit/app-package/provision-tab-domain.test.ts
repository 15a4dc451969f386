import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionReferences, readToolkitProject } from '../../../scripts/app-package/toolkit-vars.js';
import { ROOT } from './helpers.js';

/**
 * `atk provision` zips the app package with the toolkit's own action, not `npm run package`: its
 * TAB_DOMAIN check runs as a step of each project file, before anything is registered for the domain.
 */
describe.each([
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
])('$file', ({ file, env }) => {
  const provision = readToolkitProject(join(ROOT, file)).provision ?? [];
  const check = provision.findIndex((a) => a.uses === 'script' && String(a.with?.run).includes('scripts/check-tab-domain.ts'));

  /** Runs the step as the toolkit does: its command in bash, the environment file and earlier outputs as variables. */
  const runStep = (tabDomain: string) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        'bash',
        ['-c', String(provision[check].with!.run)],
        { cwd: ROOT, env: { ...process.env, TEAMSFX_ENV: env, TAB_DOMAIN: tabDomain }, timeout: 60_000 },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
      );
    });

  it('checks TAB_DOMAIN before the first action that reads it or registers the app for it', () => {
    expect(check).toBeGreaterThanOrEqual(0);
    const firstUse = provision.findIndex((a) => actionReferences(a, ROOT).some((r) => r.name === 'TAB_DOMAIN'));
    expect(check).toBeLessThan(firstUse);
    // Where TAB_DOMAIN is known before provision (the tunnel writes it), before any registration.
    if (env === 'local') expect(check).toBe(0);
  });

  it('stops provision on a web address in TAB_DOMAIN, naming it and its file', async () => {
    const { code, stderr } = await runStep('https://patients-3978.euw.devtunnels.ms/');
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe(
      `TAB_DOMAIN "https://patients-3978.euw.devtunnels.ms/" (env/.env.${env}) must be the host name the tab is served from, such as patients.contoso.org (no https:// and no path): the tab's URLs, validDomains and webApplicationInfo.resource are built from it`,
    );
  }, 60_000);

  it('lets a host name through', async () => {
    expect(await runStep('patients-3978.euw.devtunnels.ms')).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});
