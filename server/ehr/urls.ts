import { fhirIdPattern } from '../../contract/id-syntax.js';
import { FhirError } from './types.js';

export function isFhirId(id: string): boolean {
  return fhirIdPattern.test(id);
}

/** The FHIR base as a URL without a trailing slash, query or fragment. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FhirError('not_fhir', 'The FHIR base is not a valid address.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new FhirError('link_not_allowed', 'The FHIR base must be an http(s) address without credentials.');
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** `{base}/{path}` keeping the base's own path. */
export function underBase(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}/${path}`;
  return url;
}

/** A paging link from the client: only accepted when it lies under the base (origin and path). */
export function checkPageUrl(base: URL, pageUrl: string): URL {
  let url: URL;
  try {
    url = new URL(pageUrl, `${base.href}/`);
  } catch {
    throw new FhirError('link_not_allowed', 'The paging link is not a valid address.');
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const pathInside = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  if (url.origin !== base.origin || !pathInside || url.username || url.password || url.pathname.includes('/../')) {
    throw new FhirError('link_not_allowed', 'The paging link does not lie under the EHR address.');
  }
  return url;
}

/** Percent-encodes every value (a `+` in a date must not turn into a space) but keeps `:` in names. */
export function formEncode(params: Array<[string, string]>): string {
  return params.map(([name, value]) => `${encodeURIComponent(name).replace(/%3A/gi, ':')}=${encodeURIComponent(value)}`).join('&');
}
