import pino from 'pino';
import { currentRequestId } from './request-context.js';

/** The levels LOG_LEVEL takes (server/config.ts refuses any other at start, naming the setting). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const configured = process.env.LOG_LEVEL;

/**
 * The server's logger. Log ids and codes, never clinical values or secrets; the redaction list
 * is a second line of defence for fields that might slip into an object being logged.
 */
export const logger = pino({
  // Made as the server's modules load, before the settings are checked: an unknown level gives way to info here.
  level: (LOG_LEVELS as readonly string[]).includes(configured ?? '') ? configured! : 'info',
  redact: {
    paths: ['*.authorization', '*.access_token', '*.client_secret', '*.token', '*.ticket', 'req.headers.authorization'],
    censor: '[redacted]',
  },
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});
