import { spawn, type ChildProcess } from 'node:child_process';
import { onTestFailed } from 'vitest';

/** What a child process printed, its last 256 KB at most. */
const KEEP = 256 * 1024;

export interface AppProcess {
  /** For the caller to kill when done, whether or not it started. */
  child: ChildProcess;
  /** Where it listens, from the line it logs when it starts; rejects if it exits first. */
  url: Promise<string>;
  /** Writes what it printed to stderr (done by itself when the test that started it fails). */
  showOutput(): void;
  /** What it printed so far (its last 256 KB or more). */
  output(): string;
}

/**
 * The app as its own process (`server/index.ts` under tsx), logging at `info` so its start line
 * gives its address (in production mode, start it with HOST=127.0.0.1). What it prints on
 * stdout and stderr is kept, not shown, and goes to the test's stderr only if the test that
 * started it fails (or on `showOutput()`, for processes started in `beforeAll`).
 */
export function startAppProcess(env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2 * KEEP) output = output.slice(-KEEP);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const show = () => {
    process.stderr.write(`--- output of the app process ${child.pid} ---\n${output.slice(-KEEP)}\n--- end of output ---\n`);
  };
  try {
    onTestFailed(show);
  } catch {
    // Started outside a test (in beforeAll): the caller calls showOutput() when a test fails.
  }
  const url = new Promise<string>((resolve, reject) => {
    const onData = () => {
      // Dev mode says localhost; production its HOST (tests use 127.0.0.1).
      const found = /(http:\/\/(?:localhost|127\.0\.0\.1):\d+)/.exec(output)?.[1];
      if (found) {
        child.stdout!.off('data', onData);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`the app exited early with ${code ?? signal}`)));
  });
  return { child, url, showOutput: show, output: () => output };
}
