import type { Resource } from './search-params.js';
import { sandboxVersions, type SandboxVersion } from './versions.js';

/** One provider's FHIR data for one release: resources by type and id. */
export class ResourceStore {
  private readonly byType = new Map<string, Map<string, Resource>>();

  put(resource: Resource): void {
    let ofType = this.byType.get(resource.resourceType);
    if (!ofType) this.byType.set(resource.resourceType, (ofType = new Map()));
    ofType.set(resource.id, resource);
  }

  get(type: string, id: string): Resource | undefined {
    return this.byType.get(type)?.get(id);
  }

  all(type: string): Resource[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  clear(): void {
    this.byType.clear();
  }
}

/** Each tenant's provider: a store per release. */
export type ProviderData = Record<SandboxVersion, ResourceStore>;

export function emptyProvider(): ProviderData {
  return Object.fromEntries(sandboxVersions.map((v) => [v, new ResourceStore()])) as ProviderData;
}
