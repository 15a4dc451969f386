import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What a child process printed, its last 256 KB at most, for the report of a failed test. */
const KEEP = 256 * 1024;

export interface Child {
  child: ChildProcess;
  /** What it printed on stdout and stderr so far. */
  output(): string;
  /** Resolves with its exit code (or signal). */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

export function startChild(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The first line of stdout that `match` accepts; rejects if the process exits first or after `timeoutMs`. */
export function lineOf<T>(started: Child, match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: started.child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no expected line within ${timeoutMs} ms:\n${started.output()}`)), timeoutMs);
    lines.on('line', (line) => {
      const found = match(line);
      if (found === undefined) return;
      clearTimeout(timer);
      lines.close();
      resolve(found);
    });
    void started.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before the expected line:\n${started.output()}`));
    });
  });
}
