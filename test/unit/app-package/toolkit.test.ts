import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../scripts/app-package/env-files.js';
import { findPlaceholders } from '../../../scripts/app-package/placeholders.js';
import { actionOutputs, readToolkitProject, undefinedReferences, type ToolkitProject } from '../../../scripts/app-package/toolkit-vars.js';
import { ROOT } from './helpers.js';

const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const templateKeys = (env: string) => Object.keys(parseEnvFile(text(`env/.env.${env}`)));

const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
];

describe.each(PROJECTS)('$file', ({ file, env }) => {
  const project = readToolkitProject(join(ROOT, file));

  it('is a v1.x project with the schema comment on its first line', () => {
    expect(text(file).split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.\d+\/yaml\.schema\.json$/);
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(text(file).split('\n')[0]).toContain(`/${project.version}/`);
    expect(project.environmentFolderPath).toBe('./env');
  });

  it('provisions the Teams app, the Entra app and the app package in order', () => {
    const uses = (project.provision ?? []).map((a) => a.uses);
    const expected = ['teamsApp/create', 'aadApp/create', 'aadApp/update', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/validateAppPackage', 'teamsApp/update'];
    expect(uses.filter((u) => expected.includes(u))).toEqual(expected);
    const update = project.provision!.find((a) => a.uses === 'aadApp/update')!;
    expect(update.with?.manifestPath).toBe('./aad.manifest.json');
    expect(actionOutputs(project.provision!.find((a) => a.uses === 'aadApp/create')!)).toEqual(
      expect.arrayContaining(['AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID']),
    );
  });

  it('builds in deploy', () => {
    expect(project.deploy?.some((a) => a.uses === 'cli/runNpmCommand' && a.with?.args === 'run build')).toBe(true);
  });

  it(`references only variables defined in env/.env.${env} or written by an earlier action of the same lifecycle`, () => {
    expect(undefinedReferences(project, templateKeys(env), ROOT)).toEqual([]);
  });
});

describe('m365agents.yml deploy', () => {
  it('deploys to the App Service named in the env file', () => {
    const deploy = readToolkitProject(join(ROOT, 'm365agents.yml')).deploy!;
    expect(deploy.at(-1)).toMatchObject({ uses: 'azureAppService/zipDeploy', with: { resourceId: '${{AZURE_APP_SERVICE_RESOURCE_ID}}' } });
  });
});

describe('m365agents.local.yml', () => {
  it("writes the backend's settings before aadApp/update", () => {
    const provision = readToolkitProject(join(ROOT, 'm365agents.local.yml')).provision!;
    const i = provision.findIndex((a) => a.uses === 'file/createOrUpdateEnvironmentFile');
    expect(i).toBeGreaterThan(provision.findIndex((a) => a.uses === 'aadApp/create'));
    expect(i).toBeLessThan(provision.findIndex((a) => a.uses === 'aadApp/update'));
    const envs = provision[i].with?.envs as Record<string, string>;
    for (const key of ['AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT']) expect(envs[key]).toBe(`\${{${key}}}`);
  });
});

describe('reference check can fail', () => {
  const templates = ['A'];
  it('reports a variable nobody defines, and one used before the action that writes it', () => {
    const project: ToolkitProject = {
      provision: [
        { uses: 'cli/runNpmCommand', with: { args: 'run ${{A}} ${{B}}' } },
        { uses: 'script', with: { run: 'echo "::set-teamsfx-env B=1"' } },
        { uses: 'cli/runNpmCommand', with: { args: 'run ${{B}}' } },
      ],
      deploy: [{ uses: 'cli/runNpmCommand', with: { args: '${{B}}' } }],
    };
    expect(undefinedReferences(project, templates, ROOT).map((p) => `${p.lifecycle}[${p.step}] ${p.name}`)).toEqual(['provision[0] B', 'deploy[0] B']);
  });

  it('follows manifest paths into the files the toolkit fills', () => {
    const project: ToolkitProject = { provision: [{ uses: 'aadApp/update', with: { manifestPath: './aad.manifest.json' } }] };
    const names = undefinedReferences(project, templates, ROOT).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['AAD_APP_CLIENT_ID', 'TAB_DOMAIN']));
  });
});

describe('env templates', () => {
  it.each(['local', 'dev', 'test'])('env/.env.%s holds no secrets', (env) => {
    const values = parseEnvFile(text(`env/.env.${env}`));
    expect(Object.keys(values).filter((k) => k.startsWith('SECRET_'))).toEqual([]);
  });

  it('git ignores env/.env.*.user and the build output', () => {
    const lines = text('.gitignore').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['env/.env.*.user', 'appPackage/build/', '.localConfigs']));
  });
});

describe('aad.manifest.json', () => {
  const raw = text('aad.manifest.json');
  const aad = JSON.parse(raw);
  const scope = aad.oauth2Permissions.find((p: { value: string }) => p.value === 'access_as_user');

  it('exposes access_as_user at api://TAB_DOMAIN/client-id and accepts v2 tokens', () => {
    expect(aad.identifierUris).toEqual(['api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}']);
    expect(aad.accessTokenAcceptedVersion).toBe(2);
    expect(scope).toMatchObject({ type: 'User', isEnabled: true });
  });

  it('pre-authorises the Teams, Microsoft 365 and Outlook clients for access_as_user', () => {
    const clients = [
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', '4765445b-32c6-49b0-83e6-1d93765276ca',
      '0ec893e0-5785-4de6-99da-4ed124e5296c', 'd3590ed6-52b3-4102-aeff-aad2292ab01c', 'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
      '27922004-5251-4030-b22d-91ecd9a37ea4', '4345a7b9-9a63-4910-a426-35363201d503', '00000002-0000-0ff1-ce00-000000000000',
    ];
    expect(aad.preAuthorizedApplications.map((p: { appId: string }) => p.appId).sort()).toEqual([...clients].sort());
    for (const p of aad.preAuthorizedApplications) expect(p.permissionIds).toEqual([scope.id]);
  });

  it('asks for the delegated Graph permissions the backend uses', () => {
    expect(aad.requiredResourceAccess).toEqual([
      {
        resourceAppId: '00000003-0000-0000-c000-000000000000',
        resourceAccess: [
          { id: '65e50fdc-43b7-4915-933e-e8138f11f40a', type: 'Scope' }, // Sites.Manage.All
          { id: 'bc024368-1153-4739-b217-4326f2e966d0', type: 'Scope' }, // GroupMember.Read.All
          { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }, // User.Read
        ],
      },
    ]);
  });

  it('defines the Patients.AuditReader app role for users', () => {
    expect(aad.appRoles).toEqual([expect.objectContaining({ value: 'Patients.AuditReader', allowedMemberTypes: ['User'], isEnabled: true })]);
  });

  it('uses only variables the provision writes or the templates define', () => {
    const known = new Set([...templateKeys('dev'), ...templateKeys('local')]);
    expect(findPlaceholders(raw).filter((n) => !known.has(n))).toEqual([]);
  });
});
