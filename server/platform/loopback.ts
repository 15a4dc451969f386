import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';

/** A plain-http address on this machine's loopback: where local stand-ins (azurite, test services) may run without TLS. */
export const loopbackHttp = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(url);

/** An http(s) address whose host is this machine's loopback (localhost, 127.0.0.0/8, [::1]), any port. */
export const onLoopback = (url: string) => {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
};

/**
 * Headers a proxy adds to the requests it passes on (X-Forwarded-*, Forwarded, Via, and the
 * client-address headers of nginx and CDNs). A browser on this machine sends none of them.
 */
const PROXY_HEADERS = ['forwarded', 'via', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-original-forwarded-for'];
export const proxiedHeader = (headers: IncomingHttpHeaders): string | undefined =>
  Object.keys(headers).find((name) => name.startsWith('x-forwarded-') || PROXY_HEADERS.includes(name));

/**
 * Dev mode answers only requests that are plainly local. It listens on loopback and hands out
 * tokens for any dev user, so it refuses (421) on every route:
 * - a request addressed to a host name other than a loopback one (any port): a web page whose
 *   host name an attacker points at 127.0.0.1 (DNS rebinding) would otherwise reach it from the
 *   developer's browser as its own origin (Vite's and webpack's dev servers check the Host the
 *   same way);
 * - a request a proxy passed on: a reverse proxy on this machine (nginx sending
 *   `Host: 127.0.0.1:PORT`) would otherwise hand dev sign-in tokens to anyone who reaches it. A
 *   proxy announces itself with X-Forwarded-*, Forwarded, Via or X-Real-IP, or (nginx's default
 *   proxy_pass) speaks HTTP/1.0, which no browser or test client of this app does.
 */
export const loopbackHostOnly: RequestHandler = (req, res, next) => {
  if (!LOOPBACK_HOST.test(req.headers.host ?? ''))
    return void res.status(421).type('text/plain').send('This dev server answers only requests addressed to localhost, 127.0.0.1 or [::1].');
  if (proxiedHeader(req.headers) !== undefined || (req.httpVersionMajor === 1 && req.httpVersionMinor === 0))
    return void res.status(421).type('text/plain').send(PROXIED);
  next();
};
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;
const PROXIED =
  'This dev server is for this machine only and does not answer requests passed on by a proxy: it signs anyone in as any dev user. Behind a proxy, run the app with APP_MODE=production.';
