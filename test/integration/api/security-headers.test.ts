import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';

// What a page an attacker manages to inject markup into could load or use, as the headers say.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );

describe('the headers of the tab and the API', () => {
  it.each(['/', '/index.html', '/api/health', '/no-such-page'])('%s: styles, fonts and scripts only from the app itself', async (path) => {
    const res = await fetch(`${server.url}${path}`);
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('font-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    // Teams still frames the tab.
    expect(csp.get('frame-ancestors')).toEqual(expect.arrayContaining(["'self'", 'https://teams.microsoft.com', 'https://*.teams.microsoft.com']));
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it.each(['/', '/api/health'])('%s: turns off the browser features the tab never uses', async (path) => {
    const policy = (await fetch(`${server.url}${path}`)).headers.get('permissions-policy') ?? '';
    const features = new Map(policy.split(',').map((p) => p.trim().split('=') as [string, string]));
    for (const feature of ['camera', 'microphone', 'geolocation', 'clipboard-read', 'payment', 'usb', 'display-capture'])
      expect(features.get(feature), feature).toBe('()');
  });
});
