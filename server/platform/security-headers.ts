import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Teams and the other Microsoft 365 hosts that may frame the tab (Teams tab requirements). */
export const frameAncestors = [
  "'self'",
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
  'https://outlook.live.com',
];

/**
 * The browser features the tab never uses, turned off for it and anything it might frame: an
 * injected script could not reach the camera, microphone, location or clipboard, even where the
 * Teams host grants them to its frames.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'clipboard-read',
  'clipboard-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * helmet's headers, with a CSP narrowed to what the built tab loads: its scripts, styles and fonts
 * come from the app itself (helmet's default would take styles and fonts from any https origin, a
 * way out for injected markup); styles stay 'unsafe-inline' for Fluent UI's runtime style
 * elements and the consent pages' style attribute. No X-Frame-Options: Teams frames the tab
 * (frame-ancestors says by whom).
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      frameguard: false,
      contentSecurityPolicy: {
        directives: {
          frameAncestors,
          connectSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'"],
        },
      },
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
      next();
    },
  ];
}
