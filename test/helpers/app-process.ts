import { spawn, type ChildProcess } from 'node:child_process';
import { onTestFailed } from 'vitest';

/** What a child process printed, its last 256 KB at most. */
const KEEP = 256 * 1024;

export interface AppProcess {
  /** For the caller to kill when done, whether or not it started. */
  child: ChildProcess;
  /** Where it listens, from the line it logs when it starts; rejects if it exits first. */
  url: Promise<string>;
}

/**
 * The app as its own process (`server/index.ts` under tsx), logging at `info` so its start line
 * gives its address. What it prints on stdout and stderr is kept, not shown, and goes to the
 * test's stderr only if the test that started it fails. Call it inside a test.
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
  onTestFailed(() => {
    process.stderr.write(`--- output of the app process ${child.pid} ---\n${output.slice(-KEEP)}\n--- end of output ---\n`);
  });
  const url = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const found = /(http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (found) {
        child.stdout!.off('data', onData);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`the app exited early with ${code ?? signal}`)));
  });
  return { child, url };
}
