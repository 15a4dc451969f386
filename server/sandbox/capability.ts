import { stringModifiers } from './engine/string-match.js';
import type { FhirEngine, ParamKind } from './engine/types.js';
import type { VersionSpec } from './versions.js';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

/**
 * The open capability statement, with the SMART oauth-uris extension pointing at our token
 * endpoint. A DSTU2 Conformance lists the modifiers of each search parameter (`:contains` left out
 * when the endpoint plays a server without it); STU3 and R4 removed `searchParam.modifier`.
 */
export function capabilityStatement(
  spec: VersionSpec,
  engine: FhirEngine,
  tokenUrl: string,
  authorizeUrl: string,
  options: { contains?: boolean } = {},
) {
  const modifiers = (kind: ParamKind) =>
    kind === 'string' ? stringModifiers.filter((m) => m !== 'contains' || options.contains !== false) : ['missing'];
  return {
    resourceType: spec.capabilityType,
    status: 'active',
    date: '2026-11-01',
    publisher: 'Patients dev sandbox',
    kind: 'instance',
    software: { name: 'Patients dev sandbox' },
    fhirVersion: spec.fhirVersion,
    // DSTU2 and STU3 name formats by MIME type, R4 may use the short form; both are accepted.
    format: [spec.contentType, 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: OAUTH_URIS,
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
          searchParam: Object.entries(engine.paramsOf(type) ?? {}).map(([name, kind]) => ({
            name,
            type: kind,
            ...(spec.capabilityType === 'Conformance' ? { modifier: modifiers(kind) } : {}),
          })),
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
