import type { Logger } from 'pino';

/**
 * What the process does with an error nothing caught. Node's default (print the error, message and
 * stack, to stderr and exit) would end the server for one stray promise and could print patient
 * data: an error's message may quote a name, an MRN or a note. So one line goes through the logger
 * with the error's name and code only, never its message or stack.
 *
 * - A promise rejected with no handler: logged, and the server keeps serving (the request it
 *   belonged to has had its answer, or gets one from its own error handling).
 * - An exception thrown with no handler: logged, then the process exits 1; its state may be
 *   half-changed, so it is not trusted to go on (App Service starts it again). SQLite commits each
 *   change with its audit record, so an exit loses nothing acknowledged.
 */
export function handleProcessFailures(log: Pick<Logger, 'error' | 'fatal'>, exit: (code: number) => void = process.exit): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: scrubbedError(reason) }, 'a promise was rejected and nothing handled it: the server goes on serving');
  });
  process.on('uncaughtException', (error) => {
    log.fatal({ err: scrubbedError(error) }, 'an exception was thrown and nothing caught it: the server stops');
    exit(1);
  });
}

/** A name or code made of these and no longer than this: anything else may carry data, and is not logged. */
const SAFE_WORD = /^[\w.:-]{1,80}$/;

/** What may be logged of an error: its class name and code, if they look like names (a name can be set to anything). */
export function scrubbedError(reason: unknown): { name: string; code?: string } {
  if (!(reason instanceof Error)) return { name: `non-error ${reason === null ? 'null' : typeof reason}` };
  const { name, code } = reason as NodeJS.ErrnoException;
  const codeText = typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  return {
    name: typeof name === 'string' && SAFE_WORD.test(name) ? name : 'Error',
    ...(codeText && SAFE_WORD.test(codeText) ? { code: codeText } : {}),
  };
}
