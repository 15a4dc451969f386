import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { FhirError } from './types.js';
import { classifyAddress, isNeverAllowed } from './address-class.js';

/**
 * Guards the FHIR links an owner types, which our server fetches (server-side request forgery):
 * https only, and only public addresses (see address-class.ts). Dev mode explicitly allows http
 * and loopback, for the sandbox on this machine. Origins the operator allow-lists
 * (EHR_LINK_ALLOW_LIST: a partner on the hospital's network) may be http and private, but go
 * through the same resolution and pinning, and never reach a link-local or metadata address
 * (isNeverAllowed), whatever their name resolves to when the connection is made.
 *
 * Two checks: `checkUrl` before each request (scheme, credentials, the addresses the name has
 * now, for a plain early error), and the `dispatcher`, through which every EHR request goes:
 * it resolves each host name itself when it connects and connects only to an address that
 * passes, so a name that changes its answer between the two (DNS rebinding) gets nowhere.
 */
export interface LinkGuardOptions {
  allowHttp: boolean;
  allowLoopback: boolean;
  /** Origins allowed as they are, e.g. an EHR on the hospital's private network (`EHR_LINK_ALLOW_LIST`). */
  allowOrigins?: string[];
  /** Every address a host name resolves to; replaceable in tests. Called at each check and each new connection. */
  resolve?: (hostname: string) => Promise<string[]>;
}

export interface LinkGuard {
  checkUrl(url: URL): Promise<void>;
  /** An undici dispatcher that refuses to connect to an address the guard does not allow. */
  dispatcher: Dispatcher;
}

const defaultResolve = async (hostname: string) => (await dnsLookup(hostname, { all: true })).map((a) => a.address);

const refusal = (why: string) => new FhirError('link_not_allowed', why);
const SELF = 'The link points at this server itself, which is not allowed.';
const RESERVED = 'The link points at a private or reserved network address, which is not allowed.';

export function createLinkGuard(options: LinkGuardOptions): LinkGuard {
  const resolve = options.resolve ?? defaultResolve;
  const allowed = new Set((options.allowOrigins ?? []).map((o) => new URL(o).origin));

  /** Why an address of an allow-listed origin is refused: only what no link may reach. */
  const refuseForAllowed = (address: string): FhirError | undefined =>
    isIP(address) === 0 || isNeverAllowed(address) ? refusal(RESERVED) : undefined;

  /** Why an address is refused, or undefined when it may be connected to. */
  function refuseAddress(address: string): FhirError | undefined {
    if (isIP(address) === 0) return refusal(RESERVED);
    const kind = classifyAddress(address);
    if (kind === 'public' || (kind === 'loopback' && options.allowLoopback)) return undefined;
    return refusal(kind === 'reserved' ? RESERVED : SELF);
  }

  /** Every address `hostname` has now, or the EHR is unreachable. */
  async function addressesOf(hostname: string): Promise<string[]> {
    if (isIP(hostname)) return [hostname];
    try {
      return await resolve(hostname);
    } catch {
      throw new FhirError('ehr_unreachable', `The server ${hostname} could not be found. Check the link.`);
    }
  }

  async function checkUrl(url: URL): Promise<void> {
    // No link carries credentials, an allow-listed one (or a redirect to one) included: the origin leaves them out.
    if (url.username || url.password) throw refusal('The link must not contain a user name or password.');
    if (allowed.has(url.origin)) {
      for (const address of await addressesOf(url.hostname.replace(/^\[|\]$/g, ''))) {
        const refused = refuseForAllowed(address);
        if (refused) throw refused;
      }
      return;
    }
    if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
      throw refusal(options.allowHttp ? 'The link must start with https:// or http://.' : 'The link must start with https://.');
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowLoopback && /(^|\.)localhost\.?$/i.test(hostname)) throw refusal(SELF);
    for (const address of await addressesOf(hostname)) {
      const refused = refuseAddress(address);
      if (refused) throw refused;
    }
  }

  /** net.connect's lookup: resolves with the guard's resolver and fails on any address `refuse` refuses. */
  const lookupWith =
    (refuse: (address: string) => FhirError | undefined): LookupFunction =>
    (hostname, lookupOptions, callback) => {
      resolve(hostname).then(
        (addresses) => {
          const refused = addresses.map(refuse).find(Boolean);
          if (refused) return callback(refused, '', 0);
          const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
          const found = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => family === 0 || a.family === family);
          if (found.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
          if (lookupOptions.all) return (callback as unknown as (e: null, all: typeof found) => void)(null, found);
          callback(null, found[0].address, found[0].family);
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };

  const guarded = buildConnector({ lookup: lookupWith(refuseAddress) });
  const allowListed = buildConnector({ lookup: lookupWith(refuseForAllowed) });
  const connect: buildConnector.connector = (target, callback) => {
    const isAllowed = allowed.has(originOf(target));
    // net.connect looks up names only: a literal address is checked here.
    if (isIP(target.hostname)) {
      const refused = (isAllowed ? refuseForAllowed : refuseAddress)(target.hostname);
      if (refused) return callback(refused, null);
    }
    return (isAllowed ? allowListed : guarded)(target, callback);
  };

  return { checkUrl, dispatcher: new Agent({ connect }) };
}

function originOf(target: buildConnector.Options): string {
  try {
    return new URL(`${target.protocol}//${target.host ?? target.hostname}`).origin;
  } catch {
    return '';
  }
}
