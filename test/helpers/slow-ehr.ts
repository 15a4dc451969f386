import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devDirectory } from '../../server/identity/dev-directory';
import { createSandbox } from '../../server/sandbox/index';

export interface SlowEhr {
  origin: string;
  /** Settings that make the app's only partner this EHR (dev mode allows its http loopback address). */
  env: Record<string, string>;
  /** How long each FHIR request is held before it is answered (token requests are not). */
  latencyMs: number;
  /** Resolves at the next FHIR request that arrives. */
  nextFhirRequest(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The sandbox interop partner on a port of its own in the test's process, as a distant EHR: each
 * FHIR request can be held, so that an answer of the app that needs it is still in flight.
 */
export async function startSlowEhr(patientsPerTenant = 20): Promise<SlowEhr> {
  const sandbox = await createSandbox({ tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })), patientsPerTenant });
  const client = sandbox.registerClient('Patients (test)');
  const fhirPath = /^\/(dstu2|stu3|r4)(\/|$)/;
  let waiting: (() => void)[] = [];
  const app = express();
  const ehr = {
    latencyMs: 0,
    nextFhirRequest: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
  app.use(
    '/sandbox',
    (req, _res, next) => {
      if (!fhirPath.test(req.path)) return next();
      const arrived = waiting;
      waiting = [];
      for (const resolve of arrived) resolve();
      if (ehr.latencyMs > 0) setTimeout(next, ehr.latencyMs);
      else next();
    },
    sandbox.router,
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(ehr, {
    origin,
    env: {
      EHR_CLIENT_ID: client.clientId,
      EHR_CLIENT_SECRETS: client.clientSecret,
      EHR_TOKEN_ENDPOINT: `${origin}/sandbox/token`,
      EHR_FHIR_ORIGINS: origin,
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
