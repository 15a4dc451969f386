import { FhirError } from './types.js';

/**
 * The app's client at one interop partner, and what belongs to that partner. The client's
 * credentials go to this partner's token endpoint and nowhere else, whatever a link's metadata
 * advertises.
 */
export interface EhrPartner {
  /** The partner's token endpoint: an exact URL, or an origin (`https://host[:port]`, no path) for any URL on it. */
  tokenEndpoint: string;
  clientId: string;
  /** Several during rotation. Read at every token request, so a rotated secret works without a restart. */
  clientSecrets: string[];
  /** Origins of the partner's FHIR endpoints: links there use this partner's client. */
  fhirOrigins: string[];
  /** Name of the Key Vault secret whose enabled versions are this client's secrets (with KEY_VAULT_URL). */
  clientSecretName?: string;
  /** Reads the secrets anew (from Key Vault); the token broker calls it when the partner refuses every secret. */
  reloadSecrets?: () => Promise<void>;
}

/** The configured partners; read at each use (dev mode adds its sandbox once its port is known). */
export type Partners = readonly EhrPartner[] | (() => readonly EhrPartner[]);

function listPartners(partners: Partners): readonly EhrPartner[] {
  return typeof partners === 'function' ? partners() : partners;
}

/** Whether a token endpoint URL is the partner's own (its exact URL, or any URL on its origin). */
export function isPartnersTokenEndpoint(partner: EhrPartner, tokenEndpoint: URL): boolean {
  let configured: URL;
  try {
    configured = new URL(partner.tokenEndpoint);
  } catch {
    return false;
  }
  if (configured.pathname === '/' && configured.search === '') return configured.origin === tokenEndpoint.origin;
  return withoutHash(configured) === withoutHash(tokenEndpoint);
}

function withoutHash(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

const originOf = (value: string): string | undefined => {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
};

/**
 * The partner whose credentials a secured FHIR base may use: the base's origin must be one of a
 * partner's FHIR origins, and the token endpoint the base advertises must be that partner's.
 * Anything else is refused before a credential leaves the server.
 */
export function partnerFor(partners: Partners, base: URL, tokenEndpoint: URL): EhrPartner {
  const own = listPartners(partners).filter((p) => p.fhirOrigins.some((o) => originOf(o) === base.origin));
  if (own.length === 0) {
    throw new FhirError(
      'link_not_allowed',
      `The EHR at ${base.origin} asks the app to sign in, but it is not one of the EHR partners the app is set up for, so the app sends it no credentials. Ask your administrator to add it.`,
    );
  }
  const partner = own.find((p) => isPartnersTokenEndpoint(p, tokenEndpoint));
  if (!partner) {
    throw new FhirError(
      'link_not_allowed',
      `The EHR at ${base.origin} asks the app to sign in at ${tokenEndpoint.origin}, which is not its partner's sign-in address, so the app sends it no credentials.`,
    );
  }
  return partner;
}
