import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An https front for a local http stand-in, for app processes that only talk https to it (MSAL
 * accepts only https authorities). It serves a throwaway self-signed certificate for 127.0.0.1,
 * made with the openssl CLI and written to `caFile` for the child's `NODE_EXTRA_CA_CERTS` (Node
 * reads that file at start: nothing else gets trusted). Every request goes to `target` as it
 * came; in answers, `rewrite.from` (the stand-in's own idea of its public origin, e.g. the
 * endpoints of an OpenID configuration) becomes this front's origin.
 */
export interface HttpsBridge {
  /** `https://127.0.0.1:{port}` */
  url: string;
  /** The certificate, PEM, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  stop(): Promise<void>;
}

export async function startHttpsBridge(target: string, rewrite?: { from: string }): Promise<HttpsBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'patients-bridge-'));
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], // prettier-ignore
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, cert);
  let url = '';
  const server = https.createServer({ key, cert }, async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
      }
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      let body = await answer.text();
      if (rewrite) body = body.split(rewrite.from).join(url);
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
      });
      res.writeHead(answer.status, out).end(body);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`bridge: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
