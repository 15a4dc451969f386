import type { RequestHandler } from 'express';

/** A plain-http address on this machine's loopback: where local stand-ins (azurite, test services) may run without TLS. */
export const loopbackHttp = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(url);

/**
 * Dev mode answers only requests addressed to this machine by a loopback name (any port). It
 * listens on loopback and hands out tokens for any dev user: a web page whose host name an
 * attacker points at 127.0.0.1 (DNS rebinding) would otherwise reach it from the developer's
 * browser as its own origin. Vite's and webpack's dev servers check the Host the same way.
 */
export const loopbackHostOnly: RequestHandler = (req, res, next) => {
  if (LOOPBACK_HOST.test(req.headers.host ?? '')) return next();
  res.status(421).type('text/plain').send('This dev server answers only requests addressed to localhost, 127.0.0.1 or [::1].');
};
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;
