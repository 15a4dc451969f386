import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface AppInsightsStandIn {
  /** A connection string whose ingestion endpoint is this stand-in. */
  connectionString: string;
  /** Its self-signed certificate's file, for NODE_EXTRA_CA_CERTS of the process that sends to it (the exporter sends over https only). */
  caFile: string;
  /** Each telemetry batch received, as the JSON text it was sent as (after gzip). */
  batches: string[];
  /** The envelopes of every batch. */
  envelopes(): { name: string; data?: { baseType?: string; baseData?: Record<string, unknown> } }[];
  /** Paths of requests that were not telemetry batches (there should be none). */
  otherRequests: string[];
  stop(): Promise<void>;
}

/**
 * A local stand-in for the Application Insights ingestion service ("Breeze"), as the Azure Monitor
 * exporter calls it: `POST {IngestionEndpoint}/v2.1/track` with a JSON array of telemetry
 * envelopes, gzip-compressed (`Content-Encoding: gzip`), answered with
 * `{"itemsReceived","itemsAccepted","errors":[]}`. See the ingestion API in
 * https://learn.microsoft.com/azure/azure-monitor/app/api-custom-events-metrics and the envelope
 * schema of the exporter (@azure/monitor-opentelemetry-exporter, generated `track` operation).
 * It listens on https with a self-signed certificate made here with the openssl CLI.
 */
export async function startAppInsightsStandIn(): Promise<AppInsightsStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'insights-standin-'));
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', caFile,
    ], // prettier-ignore
    { stdio: 'ignore' },
  );
  const batches: string[] = [];
  const otherRequests: string[] = [];
  const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(caFile) };
  const server: Server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method !== 'POST' || !/^\/v2(\.1)?\/track$/.test(path)) {
        otherRequests.push(`${req.method} ${path}`);
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      batches.push(text);
      const count = (JSON.parse(text) as unknown[]).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    connectionString: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${origin}/;LiveEndpoint=${origin}/`,
    caFile,
    batches,
    envelopes: () => batches.flatMap((b) => JSON.parse(b) as ReturnType<AppInsightsStandIn['envelopes']>),
    otherRequests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
