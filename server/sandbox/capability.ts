import type { VersionSpec } from './versions.js';
import { paramsOf } from './search-params.js';

/** The open capability statement, with the SMART oauth-uris extension pointing at our token endpoint. */
export function capabilityStatement(spec: VersionSpec, tokenUrl: string, authorizeUrl: string) {
  return {
    resourceType: spec.capabilityType,
    status: 'active',
    date: '2026-11-01',
    kind: 'instance',
    fhirVersion: spec.fhirVersion,
    format: ['json'],
    software: { name: 'Patients dev sandbox' },
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'token', valueUri: tokenUrl },
                { url: 'authorize', valueUri: authorizeUrl },
              ],
            },
          ],
        },
        resource: spec.resourceTypes.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: Object.entries(paramsOf(type, spec.key) ?? {}).map(([name, p]) => ({ name, type: p.kind })),
        })),
        interaction: [{ code: 'batch' }],
      },
    ],
  };
}

export function smartConfiguration(tokenUrl: string, authorizeUrl: string) {
  return {
    token_endpoint: tokenUrl,
    authorization_endpoint: authorizeUrl,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.read'],
    capabilities: ['client-confidential-symmetric'],
  };
}
