import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An https origin on loopback in front of a local http stand-in, for a process that cannot be
 * handed a transport: MSAL in the deployed app only talks to https authorities. The certificate
 * is self-signed for `localhost`, made with openssl for this run; the app trusts it through
 * NODE_EXTRA_CA_CERTS (`caFile`). Answers have the stand-in's own idea of its address (`rewrite`)
 * replaced by this origin, so the links in Azure AD's OpenID configuration lead back here.
 */
export interface HttpsFront {
  origin: string;
  caFile: string;
  close(): Promise<void>;
}

export async function startHttpsFront(target: string, rewrite: string): Promise<HttpsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'patients-tls-'));
  const [keyFile, caFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  );
  let origin = '';
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const answer = await fetch(new URL(req.url ?? '/', target), {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const body = (await answer.text()).split(rewrite).join(origin);
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(body);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    caFile,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
