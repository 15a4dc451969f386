import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Azurite's fixed development account and key, published in its README ("Default Storage Account"). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Connection string for `TableClient.fromConnectionString(cs, table, { allowInsecureConnection: true })`. */
  connectionString: string;
  /** `http://127.0.0.1:<port>/devstoreaccount1`, the table service of the emulated account. */
  tableEndpoint: string;
  /** The emulator's process, for a benchmark that reads its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** The `azurite-table` entry of the installed azurite package (its `bin`), run with this Node. */
const TABLE_MAIN = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');

/** A port free on 127.0.0.1 right now (azurite started with port 0 does not say which port it took). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the probe');
  return address.port;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts azurite-table once on `port`; resolves when it says it listens, rejects if it exits first. */
function startOn(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      TABLE_MAIN,
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableProductStyleUrl',
      // No request log on stdout, and no usage data sent to Microsoft from a test run.
      '--silent',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`azurite-table did not start within 30 s: ${output.slice(-2000)}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully (started|listening)/i.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        // Keep draining so a full pipe never blocks the emulator.
        child.stdout!.resume();
        child.stderr!.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`azurite-table exited with ${code ?? signal}: ${output.slice(-2000)}`));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}

/**
 * Microsoft's Azure Storage emulator, table service only, in memory, on a free 127.0.0.1 port.
 * Call `stop()` when done (e.g. in `afterAll`); the process is also killed when the test process exits.
 */
export async function startAzurite(): Promise<Azurite> {
  let lastError: unknown;
  // The free port can be taken between the probe and azurite's listen: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      const child = await startOn(port);
      const killOnExit = () => child.kill('SIGKILL');
      process.once('exit', killOnExit);
      const tableEndpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
      return {
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` + `TableEndpoint=${tableEndpoint};`,
        tableEndpoint,
        pid: child.pid!,
        stop: async () => {
          process.off('exit', killOnExit);
          await stopChild(child);
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
