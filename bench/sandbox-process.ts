import express from 'express';
import type { AddressInfo } from 'node:net';
import { devDirectory } from '../server/identity/dev-directory.js';
import { createSandbox } from '../server/sandbox/index.js';

/**
 * The sandbox EHR partner in a process of its own, as a hospital's EHR is: the benchmark's app
 * and the EHR then do not take turns on one event loop. Prints one JSON line with its origin and
 * a registered client, then serves until its parent goes away.
 */
const patients = Number(process.argv[2] ?? 200);
const sandbox = await createSandbox({ tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })), patientsPerTenant: patients });
const client = sandbox.registerClient('Patients (benchmark)');
const server = express()
  .use('/sandbox', sandbox.router)
  .listen(0, '127.0.0.1', () => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(`${JSON.stringify({ origin, clientId: client.clientId, clientSecret: client.clientSecret })}\n`);
  });
process.stdin.on('end', () => process.exit(0)).resume();
process.on('disconnect', () => process.exit(0));
