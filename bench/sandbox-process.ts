import express from 'express';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devDirectory } from '../server/identity/dev-directory.js';
import { createSandbox } from '../server/sandbox/index.js';

/**
 * The sandbox EHR partner in a process of its own, as a hospital's EHR is: the benchmark's app
 * and the EHR then do not take turns on one event loop. Prints one JSON line with its origin and
 * a registered client, then serves until its parent goes away.
 *
 * Arguments: patients per tenant (200), and the EHR latency in milliseconds (0): every FHIR
 * request takes that much longer, as a distant EHR's round trip would (token requests do not):
 * half of it before the EHR gets the request, half after it has answered, the way there and
 * back. `PUT /latency/{ms}` changes it while the process runs; `GET /cpu` tells the CPU time this
 * process has taken (`process.cpuUsage()`, microseconds), for the benchmark to put beside its own.
 */
const patients = Number(process.argv[2] ?? 200);
let latencyMs = Number(process.argv[3] ?? 0);
const sandbox = await createSandbox({ tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })), patientsPerTenant: patients });
const client = sandbox.registerClient('Patients (benchmark)');
const fhirPath = /^\/(dstu2|stu3|r4)(\/|$)/;
/** Holds the answer for the way back: `res.end` (which writes the status and headers too) goes out later. */
function holdAnswer(res: ServerResponse, ms: number) {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), ms);
    return res;
  }) as ServerResponse['end'];
}
const app = express();
// An EHR's batch answers carry no ETag: hashing each answer of some 400 kB would only slow the EHR.
app.set('etag', false);
const server = app
  .get('/cpu', (_req, res) => void res.json(process.cpuUsage()))
  .put('/latency/:ms', (req, res) => {
    const ms = Number(req.params.ms);
    if (!Number.isFinite(ms) || ms < 0) return void res.status(400).end();
    latencyMs = ms;
    res.status(204).end();
  })
  .use(
    '/sandbox',
    (req, res, next) => {
      if (!(latencyMs > 0 && fhirPath.test(req.path))) return next();
      holdAnswer(res, latencyMs / 2);
      setTimeout(next, latencyMs / 2);
    },
    sandbox.router,
  )
  .listen(0, '127.0.0.1', () => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(`${JSON.stringify({ origin, clientId: client.clientId, clientSecret: client.clientSecret })}\n`);
  });
process.stdin.on('end', () => process.exit(0)).resume();
process.on('disconnect', () => process.exit(0));
