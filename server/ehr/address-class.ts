import ipaddr from 'ipaddr.js';

/**
 * What an IP address is, for the FHIR link guard: `public` (ipaddr.js calls it unicast and it is
 * in no IANA special-purpose range), `loopback` (127/8 or ::1: this machine), `self` (an IPv6
 * form that embeds a loopback IPv4) or `reserved` (everything else: private, link-local, cloud
 * metadata, multicast, broadcast, documentation, translation and tunnel prefixes...).
 */
export type AddressClass = 'public' | 'loopback' | 'self' | 'reserved';

// IANA IPv6 special-purpose ranges ipaddr.js 2.5 calls unicast.
const EXTRA_V6: [ipaddr.IPv6, number][] = [
  [ipaddr.IPv6.parse('::'), 96], // IPv4-compatible (deprecated)
  [ipaddr.IPv6.parse('100:0:0:1::'), 64], // dummy prefix (RFC 9780)
];
const NAT64_LOCAL = ipaddr.IPv6.parse('64:ff9b:1::');

/**
 * Addresses no EHR link may reach, allow-listed or not: link-local (IPv4 169.254/16, IPv6
 * fe80::/10, where cloud instance metadata services answer, e.g. 169.254.169.254), Azure's host
 * platform address 168.63.129.16 (a public-range address that answers only the host's own VMs:
 * learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16) and AWS's IPv6
 * metadata address fd00:ec2::254; also when an IPv6 address carries one of them in IPv4 form.
 */
export function isNeverAllowed(text: string): boolean {
  if (!ipaddr.isValid(text)) return true;
  const address = ipaddr.parse(text);
  const v4s = address.kind() === 'ipv4' ? [address as ipaddr.IPv4] : embeddedIPv4(address as ipaddr.IPv6);
  if (v4s.some((v4) => v4.range() === 'linkLocal' || v4.toString() === AZURE_HOST)) return true;
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    return v6.range() === 'linkLocal' || v6.toNormalizedString() === AWS_METADATA_V6;
  }
  return false;
}
const AZURE_HOST = '168.63.129.16';
const AWS_METADATA_V6 = ipaddr.IPv6.parse('fd00:ec2::254').toNormalizedString();

export function classifyAddress(text: string): AddressClass {
  if (isNeverAllowed(text)) return 'reserved';
  if (!ipaddr.isValid(text)) return 'reserved';
  const address = ipaddr.parse(text);
  if (address.kind() === 'ipv4') {
    const range = address.range();
    return range === 'unicast' ? 'public' : range === 'loopback' ? 'loopback' : 'reserved';
  }
  const v6 = address as ipaddr.IPv6;
  if (v6.range() === 'loopback') return 'loopback';
  if (embeddedIPv4(v6).some((v4) => v4.range() === 'loopback')) return 'self';
  if (v6.range() !== 'unicast' || EXTRA_V6.some(([net, bits]) => v6.match(net, bits))) return 'reserved';
  return 'public';
}

/** IPv4 addresses an IPv6 address carries: mapped, compatible, NAT64, 6to4, Teredo server and client. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4[] {
  const b = v6.toByteArray();
  const at = (...i: number[]) => new ipaddr.IPv4(i.map((n) => b[n]));
  const last = at(12, 13, 14, 15);
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [last];
    case 'rfc6052':
      // 64:ff9b::/96 keeps it in the last 32 bits; 64:ff9b:1::/48 in bits 48-63 and 72-87 (RFC 6052 §2.2).
      return v6.match(NAT64_LOCAL, 48) ? [at(6, 7, 9, 10), last] : [last];
    case '6to4':
      return [at(2, 3, 4, 5)];
    case 'teredo':
      // Server in bits 32-63; the client's address is stored inverted in the last 32 bits.
      return [at(4, 5, 6, 7), new ipaddr.IPv4([12, 13, 14, 15].map((n) => b[n] ^ 0xff))];
    default:
      return b.slice(0, 12).every((n) => n === 0) ? [last] : [];
  }
}
