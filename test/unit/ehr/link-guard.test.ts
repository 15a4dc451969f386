import { describe, expect, it } from 'vitest';
import { createLinkGuard } from '../../../server/ehr/link-guard';

const dns: Record<string, string[]> = {
  'ehr.example.org': ['93.184.215.14'],
  'intranet.example.org': ['10.1.2.3'],
  'rebind.example.org': ['93.184.215.14', '127.0.0.1'],
  'metadata.example.org': ['169.254.169.254'],
  'v6local.example.org': ['fd00::1'],
  'azure-host.example.org': ['168.63.129.16'],
  'intranet-rebound.example.org': ['10.1.2.3', '169.254.169.254'],
  'mapped-metadata.example.org': ['::ffff:169.254.169.254'],
};
const resolve = async (host: string) => {
  const found = dns[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};
const production = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve }).checkUrl;
const dev = createLinkGuard({ allowHttp: true, allowLoopback: true, resolve }).checkUrl;

describe('FHIR link guard', () => {
  it('lets a public https link through', async () => {
    await expect(production(new URL('https://ehr.example.org/fhir'))).resolves.toBeUndefined();
  });

  it.each([
    ['http outside dev mode', 'http://ehr.example.org/fhir', 'https://'],
    ['a private address', 'https://intranet.example.org/fhir', 'private'],
    ['a host that also resolves to loopback', 'https://rebind.example.org/fhir', 'this server'],
    ['a loopback literal', 'https://127.0.0.1:8443/fhir', 'this server'],
    ['the cloud metadata address', 'https://metadata.example.org/', 'private'],
    ['an IPv6 unique local address', 'https://v6local.example.org/', 'private'],
    ['an IPv6 loopback literal', 'https://[::1]/fhir', 'this server'],
    ["Azure's host platform address (public range, answers only the host's own machines)", 'https://azure-host.example.org/', 'private'],
    ['credentials in the link', 'https://user:pw@ehr.example.org/fhir', 'user name'],
    ['another scheme', 'ftp://ehr.example.org/fhir', 'https://'],
  ])('refuses %s', async (_name, link, reason) => {
    await expect(production(new URL(link))).rejects.toMatchObject({ code: 'link_not_allowed', message: expect.stringContaining(reason) });
  });

  it('says when a host cannot be found', async () => {
    await expect(production(new URL('https://nowhere.example.org/'))).rejects.toMatchObject({ code: 'ehr_unreachable' });
  });

  it('lets explicitly allowed origins through, and only those', async () => {
    const onPremises = createLinkGuard({
      allowHttp: false,
      allowLoopback: false,
      resolve,
      allowOrigins: ['http://intranet.example.org:8080'],
    }).checkUrl;
    await expect(onPremises(new URL('http://intranet.example.org:8080/fhir'))).resolves.toBeUndefined();
    await expect(onPremises(new URL('http://intranet.example.org:9090/fhir'))).rejects.toMatchObject({ code: 'link_not_allowed' });
    // The origin leaves credentials out: a link (or a redirect) to an allowed origin carrying them is still refused.
    for (const link of [
      'http://user:secret@intranet.example.org:8080/fhir',
      'http://user@intranet.example.org:8080/fhir',
      'http://:secret@intranet.example.org:8080/',
    ])
      await expect(onPremises(new URL(link)), link).rejects.toMatchObject({
        code: 'link_not_allowed',
        message: expect.stringContaining('user name or password'),
      });
  });

  it('allows http and loopback in dev mode, still not private networks', async () => {
    await expect(dev(new URL('http://127.0.0.1:3978/sandbox/r4'))).resolves.toBeUndefined();
    await expect(dev(new URL('http://intranet.example.org/fhir'))).rejects.toMatchObject({ code: 'link_not_allowed' });
  });

  it('an allowed origin may be private, but never reaches a link-local or metadata address, whatever its name resolves to', async () => {
    const allowOrigins = [
      'http://intranet.example.org:8080',
      'http://metadata.example.org',
      'http://intranet-rebound.example.org',
      'http://mapped-metadata.example.org',
      'http://azure-host.example.org',
      'http://169.254.169.254',
      'http://[fe80::1]',
    ];
    const onPremises = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve, allowOrigins }).checkUrl;
    await expect(onPremises(new URL('http://intranet.example.org:8080/fhir'))).resolves.toBeUndefined();
    for (const origin of allowOrigins.slice(1))
      await expect(onPremises(new URL(`${origin}/latest/meta-data/`)), origin).rejects.toMatchObject({
        code: 'link_not_allowed',
        message: expect.stringContaining('private or reserved'),
      });
  });
});
