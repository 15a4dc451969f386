import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { logger } from '../../server/platform/logger';

const streamSym = pino.symbols.streamSym as unknown as keyof typeof logger;
type Writable = Record<typeof streamSym, unknown>;

/**
 * The server logger's lines during each test of the calling file, for tests that assert on what is
 * logged: its destination stream is swapped and its level set to `info` for the length of a test
 * (test runs otherwise log nothing: the projects set LOG_LEVEL=silent). Call it at the top of the file.
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  let original: unknown;
  let level: string;
  beforeEach(() => {
    lines.length = 0;
    original = logger[streamSym];
    level = logger.level;
    logger.level = 'info';
    (logger as unknown as Writable)[streamSym] = { write: (line: string) => void lines.push(line) };
  });
  afterEach(() => {
    (logger as unknown as Writable)[streamSym] = original;
    logger.level = level;
  });
  return lines;
}
