import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../scripts/app-package/env-files.js';
import { findPlaceholders } from '../../../scripts/app-package/placeholders.js';
import {
  actionOutputs,
  readToolkitProject,
  templateDefinitions,
  templateOutputs,
  tunnelOutputs,
  undefinedReferences,
  type ToolkitProject,
} from '../../../scripts/app-package/toolkit-vars.js';
import { ROOT } from './helpers.js';

const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const templateKeys = (env: string) => templateDefinitions(text(`env/.env.${env}`));
/** Written to env/.env.<env> before `provision` runs: by the F5 tunnel task (local only). */
const beforeProvision = (env: string) => tunnelOutputs(text('.vscode/tasks.json'), env);

const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
];

describe.each(PROJECTS)('$file', ({ file, env }) => {
  const project = readToolkitProject(join(ROOT, file));

  it('is a v1.x project with the schema comment on its first line', () => {
    expect(text(file).split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.\d+\/yaml\.schema\.json$/,
    );
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(text(file).split('\n')[0]).toContain(`/${project.version}/`);
    expect(project.environmentFolderPath).toBe('./env');
  });

  it('provisions the Teams app, the Entra app and the app package in order', () => {
    const uses = (project.provision ?? []).map((a) => a.uses);
    const expected = [
      'teamsApp/create',
      'aadApp/create',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ];
    expect(uses.filter((u) => expected.includes(u))).toEqual(expected);
    const update = project.provision!.find((a) => a.uses === 'aadApp/update')!;
    expect(update.with?.manifestPath).toBe('./aad.manifest.json');
    expect(
      actionOutputs(
        project.provision!.find((a) => a.uses === 'aadApp/create')!,
        ROOT,
      ),
    ).toEqual(expect.arrayContaining(['AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID']));
  });

  it('builds in deploy: the local run the tab and server, the remote one its deploy package', () => {
    const build = file === 'm365agents.yml' ? 'run package:deploy' : 'run build';
    expect(project.deploy?.some((a) => a.uses === 'cli/runNpmCommand' && a.with?.args === build)).toBe(true);
  });

  it(`references only variables defined in env/.env.${env} or written by an earlier action of the same lifecycle`, () => {
    expect(undefinedReferences(project, [...templateKeys(env), ...beforeProvision(env)], ROOT)).toEqual([]);
  });

  it('names in comments the secrets that belong in the git-ignored .user file', () => {
    const declared = text(`env/.env.${env}`).match(/^#\s*SECRET_[A-Z_]+=/gm) ?? [];
    expect(declared.map((d) => d.replace(/^#\s*/, '').slice(0, -1)).sort()).toEqual([
      'SECRET_AAD_APP_CLIENT_SECRET',
      'SECRET_EHR_CLIENT_SECRETS',
      'SECRET_STORE_SEAL_KEY',
    ]);
  });
});

describe('m365agents.yml (dev on Azure App Service)', () => {
  const project = readToolkitProject(join(ROOT, 'm365agents.yml'));
  const provision = project.provision!;
  const uses = provision.map((a) => a.uses);

  it('creates the App Service with arm/deploy after the Entra app and before aadApp/update needs TAB_DOMAIN', () => {
    const arm = uses.indexOf('arm/deploy');
    expect(arm).toBeGreaterThan(uses.indexOf('aadApp/create'));
    expect(arm).toBeLessThan(uses.indexOf('aadApp/update'));
    expect(actionOutputs(provision[arm], ROOT)).toEqual(['AZURE_APP_SERVICE_RESOURCE_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT']);
  });

  it('without arm/deploy, aadApp/update would read TAB_DOMAIN before anything writes it', () => {
    const withoutArm = { provision: provision.filter((a) => a.uses !== 'arm/deploy') };
    const definitions = templateKeys('dev').filter((k) => !['TAB_DOMAIN', 'TAB_ENDPOINT', 'AZURE_APP_SERVICE_RESOURCE_ID'].includes(k));
    const problems = undefinedReferences(withoutArm, definitions, ROOT).filter((p) => p.name === 'TAB_DOMAIN');
    expect(problems[0]).toMatchObject({ lifecycle: 'provision', uses: 'aadApp/update', where: 'aad.manifest.json' });
  });

  it('gives the backend every setting production mode requires', () => {
    const config = text('server/config.ts');
    const required = /production: \[([^\]]*)\]/.exec(config)![1].match(/[A-Z_]+/g)!;
    const bicep = text('infra/azure.bicep');
    const settings = /name: 'appsettings'\s+properties: \{([\s\S]*?)\n {2}\}/.exec(bicep)![1];
    for (const key of ['APP_MODE', ...required]) expect(settings, key).toMatch(new RegExp(`^\\s+${key}:`, 'm'));
    expect(settings).toMatch(/APP_MODE: 'production'/);
  });

  it('passes secrets to the template only as @secure() parameters', () => {
    const parameters = JSON.parse(text('infra/azure.parameters.json')).parameters as Record<string, { value: string }>;
    const lines = text('infra/azure.bicep').split('\n');
    /** The decorator lines right above `param <name>`. */
    const decorators = (name: string) => {
      const at = lines.findIndex((l) => l.startsWith(`param ${name} `));
      let from = at;
      while (from > 0 && lines[from - 1].startsWith('@')) from--;
      return at < 0 ? ['(no such param)'] : lines.slice(from, at);
    };
    const secrets = Object.entries(parameters)
      .filter(([, { value }]) => value.includes('${{SECRET_'))
      .map(([name]) => name);
    expect(secrets.sort()).toEqual(['aadAppClientSecret', 'ehrClientSecrets', 'storeSealKey']);
    for (const name of secrets) expect(decorators(name), name).toContain('@secure()');
  });

  it('deploys the staged deploy package to the App Service that provision created', () => {
    expect(project.deploy!.at(-1)).toMatchObject({
      uses: 'azureAppService/zipDeploy',
      with: { artifactFolder: './build/deploy/app', resourceId: '${{AZURE_APP_SERVICE_RESOURCE_ID}}', ignoreFile: '.webappignore' },
    });
  });
});

describe('m365agents.local.yml', () => {
  it("writes the backend's settings before aadApp/update", () => {
    const provision = readToolkitProject(join(ROOT, 'm365agents.local.yml')).provision!;
    const i = provision.findIndex((a) => a.uses === 'file/createOrUpdateEnvironmentFile');
    expect(i).toBeGreaterThan(provision.findIndex((a) => a.uses === 'aadApp/create'));
    expect(i).toBeLessThan(provision.findIndex((a) => a.uses === 'aadApp/update'));
    const envs = provision[i].with?.envs as Record<string, string>;
    for (const key of ['AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT'])
      expect(envs[key]).toBe(`\${{${key}}}`);
    expect(envs.EHR_CLIENT_SECRETS).toBe('${{SECRET_EHR_CLIENT_SECRETS}}');
  });
});

describe('F5 in VS Code (.vscode/tasks.json, launch.json)', () => {
  const tasks = JSON.parse(text('.vscode/tasks.json')).tasks as { label: string; command?: string; args?: { env?: string }; dependsOn?: string[] }[];
  const port = readToolkitProject(join(ROOT, 'm365agents.local.yml')).provision!.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!.with!
    .envs as Record<string, unknown>;

  it('tunnels the backend port and writes TAB_DOMAIN and TAB_ENDPOINT before provision', () => {
    expect(beforeProvision('local').sort()).toEqual(['TAB_DOMAIN', 'TAB_ENDPOINT']);
    const tunnel = JSON.stringify(tasks.find((t) => t.command === 'debug-start-local-tunnel'));
    expect(tunnel).toContain(`"portNumber":${port.PORT}`);
    const sequence = tasks.find((t) => t.label === 'Start Teams App Locally')!.dependsOn!;
    expect(sequence.indexOf('Start local tunnel')).toBeLessThan(sequence.indexOf('Provision'));
    expect(sequence.indexOf('Provision')).toBeLessThan(sequence.indexOf('Start application'));
    for (const label of sequence) expect(tasks.map((t) => t.label)).toContain(label);
  });

  it('provisions and deploys the local environment and runs the backend with the settings it wrote', () => {
    expect(tasks.filter((t) => t.command === 'provision' || t.command === 'deploy').map((t) => t.args?.env)).toEqual(['local', 'local']);
    expect(JSON.stringify(tasks)).toContain('--env-file=.localConfigs server/index.ts');
  });

  it('opens Teams with the local app id, and the compounds name existing tasks and configurations', () => {
    const launch = JSON.parse(text('.vscode/launch.json'));
    const names = launch.configurations.map((c: { name: string }) => c.name);
    for (const c of launch.configurations.filter((c: { url?: string }) => c.url)) {
      for (const ref of c.url.match(/\$\{\{[^}]+\}\}/g)) expect(ref).toBe('${{local:TEAMS_APP_ID}}');
    }
    expect(templateKeys('local')).toContain('TEAMS_APP_ID');
    for (const compound of launch.compounds) {
      expect(tasks.map((t) => t.label)).toContain(compound.preLaunchTask);
      for (const c of compound.configurations) expect(names).toContain(c);
    }
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
    expect(undefinedReferences(project, templates, ROOT).map((p) => `${p.lifecycle}[${p.step}] ${p.name}`)).toEqual([
      'provision[0] B',
      'deploy[0] B',
    ]);
  });

  it('counts arm/deploy template outputs as written, and follows its parameter files', () => {
    const arm = { uses: 'arm/deploy', with: { templates: [{ path: './infra/azure.bicep', parameters: './infra/azure.parameters.json' }] } };
    expect(templateOutputs(join(ROOT, 'infra/azure.bicep'))).toContain('TAB_DOMAIN');
    const project: ToolkitProject = { provision: [arm, { uses: 'cli/runNpmCommand', with: { args: '${{TAB_DOMAIN}}' } }] };
    const names = undefinedReferences(project, templates, ROOT).map((p) => `${p.where}: ${p.name}`);
    expect(names).toContain('infra/azure.parameters.json: SECRET_EHR_CLIENT_SECRETS');
    expect(names.some((n) => n.endsWith('TAB_DOMAIN'))).toBe(false);
  });

  it('defines template keys and secrets declared as comments, but not other comments', () => {
    expect(templateDefinitions('A=1\n# SECRET_X=\n# B=2\n#SECRET_Y= note\n').sort()).toEqual(['A', 'SECRET_X', 'SECRET_Y']);
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
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      '4765445b-32c6-49b0-83e6-1d93765276ca',
      '0ec893e0-5785-4de6-99da-4ed124e5296c',
      'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
      '27922004-5251-4030-b22d-91ecd9a37ea4',
      '4345a7b9-9a63-4910-a426-35363201d503',
      '00000002-0000-0ff1-ce00-000000000000',
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
          { id: '485be79e-c497-4b35-9400-0e3fa7f2a5d4', type: 'Scope' }, // Team.ReadBasic.All
          { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }, // User.Read
        ],
      },
    ]);
  });

  it("registers the tab's consent end page as the SPA redirect URI of the Graph consent popup", () => {
    expect(aad.replyUrlsWithType).toEqual([{ url: 'https://${{TAB_DOMAIN}}/consent-end.html', type: 'Spa' }]);
  });

  it('defines the Patients.AuditReader app role for users', () => {
    expect(aad.appRoles).toEqual([expect.objectContaining({ value: 'Patients.AuditReader', allowedMemberTypes: ['User'], isEnabled: true })]);
  });

  it('uses only variables the provision writes or the templates define', () => {
    const known = new Set([...templateKeys('dev'), ...templateKeys('local')]);
    expect(findPlaceholders(raw).filter((n) => !known.has(n))).toEqual([]);
  });
});
