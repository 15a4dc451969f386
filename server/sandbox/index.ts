import type { Router } from 'express';
import { createClientRegistry } from './clients.js';
import { generatePeople } from './data/people.js';
import { loadBundles } from './data/load-bundles.js';
import { writePerson, writePractitioners } from './data/write-fhir.js';
import { emptyProvider, type ProviderData } from './resource-store.js';
import { sandboxRouter } from './router.js';
import { createTokenIssuer } from './tokens.js';
import { sandboxVersions, versionSpecs } from './versions.js';

export interface SandboxOptions {
  /** Tenant ids are the routing keys (Azure AD tenant GUIDs); each gets its own provider data. */
  tenants: { id: string; name: string }[];
  patientsPerTenant?: number;
  seed?: number;
  /** A folder with dstu2/, stu3/ and r4/ bundles, loaded into the first tenant's provider instead of generated data. */
  dataDir?: string;
  tokenLifetimeSeconds?: number;
}

export interface Sandbox {
  router: Router;
  /** Registers a client as the partner's registration page would; returns its first secret. */
  registerClient(name?: string): { clientId: string; clientSecret: string; secretId: string };
}

/**
 * The dev interop partner: client registration, a client-credentials token endpoint that scopes
 * tokens to a tenant, and DSTU2, STU3 and R4 endpoints that route each token to its tenant's data.
 * A development and test peer only; the app never imports it.
 */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const providers = new Map<string, ProviderData>();
  options.tenants.forEach((tenant, index) => {
    const data = emptyProvider();
    const people = generatePeople(tenant.id, options.patientsPerTenant ?? 200, options.seed ?? 20261123);
    for (const version of sandboxVersions) {
      const spec = versionSpecs[version];
      const loaded = index === 0 && options.dataDir ? loadBundles(options.dataDir, version) : [];
      const resources = loaded.length ? loaded : [...people.flatMap((p) => writePerson(spec, p)), ...writePractitioners(spec, people)];
      for (const resource of resources) data[version].put(resource);
    }
    providers.set(tenant.id, data);
  });
  const clients = createClientRegistry();
  const tokens = createTokenIssuer(options.tokenLifetimeSeconds ?? 3600);
  return {
    router: sandboxRouter(clients, tokens, providers),
    registerClient: (name = 'client') => clients.register(name),
  };
}
