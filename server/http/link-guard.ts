import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { FhirError } from '../fhir/types.js';

/**
 * Guards the FHIR links an owner types, which our server fetches (server-side request forgery):
 * https only, and no loopback, private, link-local or cloud metadata addresses. Dev mode
 * explicitly allows http and loopback, for the sandbox on this machine.
 */
export interface LinkGuardOptions {
  allowHttp: boolean;
  allowLoopback: boolean;
  /** Origins allowed as they are, e.g. an EHR on the hospital's private network (`EHR_LINK_ALLOW_LIST`). */
  allowOrigins?: string[];
  /** Resolver, replaceable in tests. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) forbidden.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) forbidden.addSubnet(net, bits, 'ipv6');

const defaultResolve = async (hostname: string) => (await lookup(hostname, { all: true })).map((a) => a.address);

export function createLinkGuard(options: LinkGuardOptions): (url: URL) => Promise<void> {
  const resolve = options.resolve ?? defaultResolve;
  const allowed = new Set((options.allowOrigins ?? []).map((o) => new URL(o).origin));
  return async (url) => {
    if (allowed.has(url.origin)) return;
    const refuse = (why: string) => {
      throw new FhirError('link_not_allowed', why);
    };
    if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
      refuse(options.allowHttp ? 'The link must start with https:// or http://.' : 'The link must start with https://.');
    }
    if (url.username || url.password) refuse('The link must not contain a user name or password.');
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(hostname)) addresses = [hostname];
    else {
      try {
        addresses = await resolve(hostname);
      } catch {
        throw new FhirError('ehr_unreachable', `The server ${hostname} could not be found. Check the link.`);
      }
    }
    for (const raw of addresses) {
      const address = raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice(7) : raw;
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (loopback.check(address, family)) {
        if (!options.allowLoopback) refuse('The link points at this server itself, which is not allowed.');
      } else if (forbidden.check(address, family)) {
        refuse('The link points at a private or reserved network address, which is not allowed.');
      }
    }
  };
}
