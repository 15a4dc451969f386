import pino from 'pino';
import { currentRequestId } from './request-context.js';

/**
 * The server's logger. Log ids and codes, never clinical values or secrets; the redaction list
 * is a second line of defence for fields that might slip into an object being logged.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: ['*.authorization', '*.access_token', '*.client_secret', '*.token', '*.ticket', 'req.headers.authorization'],
    censor: '[redacted]',
  },
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});
