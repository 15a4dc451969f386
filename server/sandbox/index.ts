import type { Router } from 'express';
import { createClientRegistry } from './clients.js';
import { generatePeople, practitionersOf } from './data/people.js';
import { loadBundles } from './data/load-bundles.js';
import { shapes } from './data/shapes.js';
import { writePerson, writePractitioner } from './data/write-fhir.js';
import type { FhirEngine, Resource } from './engine/types.js';
import { sandboxRouter, type Providers } from './router.js';
import { createTokenIssuer } from './tokens.js';
import { sandboxVersions, versionSpecs, type SandboxVersion } from './versions.js';

export interface SandboxOptions {
  tenants: { id: string; name: string }[]; // tenant ids are the routing keys (Azure AD tenant GUIDs)
  patientsPerTenant?: number; // default 200
  seed?: number; // default fixed
  dataDir?: string; // SANDBOX_FHIR_DATA
  tokenLifetimeSeconds?: number; // default 3600
}
export interface Sandbox {
  router: Router; // express 5 Router; mount anywhere, e.g. app.use('/sandbox', sandbox.router)
  /** Registers a client as the partner's registration page would; returns its first secret. */
  registerClient(name?: string): { clientId: string; clientSecret: string; secretId: string };
}

const DEFAULT_SEED = 20261123;

/**
 * The dev interop partner: client registration, a client-credentials token endpoint that scopes
 * tokens to a tenant, and DSTU2, STU3 and R4 endpoints that route each token to its tenant's
 * provider. Each tenant gets its own generated people; with `dataDir`, the first tenant's
 * provider serves the bundles of `<dataDir>/<release>` instead (a release folder missing: generated).
 * A development and test peer only; the app never imports it.
 */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (!options.tenants.length) throw new Error('The sandbox needs at least one tenant');
  const providers: Providers = new Map();
  for (const [index, tenant] of options.tenants.entries()) {
    const people = generatePeople(tenant.id, options.patientsPerTenant ?? 200, options.seed ?? DEFAULT_SEED);
    const engines = {} as Record<SandboxVersion, FhirEngine>;
    for (const version of sandboxVersions) {
      const loaded = index === 0 && options.dataDir ? loadBundles(options.dataDir, version) : [];
      const shape = shapes[version];
      const generated = (): Resource[] => [
        ...practitionersOf(people).map((p) => writePractitioner(shape, p)),
        ...people.flatMap((p) => writePerson(shape, p)),
      ];
      engines[version] = versionSpecs[version].createEngine();
      await engines[version].load(loaded.length ? loaded : generated());
    }
    providers.set(tenant.id, engines);
  }
  const clients = createClientRegistry();
  const tokens = createTokenIssuer(options.tokenLifetimeSeconds ?? 3600);
  return {
    router: sandboxRouter(clients, tokens, providers),
    registerClient: (name = 'client') => clients.register(name),
  };
}
