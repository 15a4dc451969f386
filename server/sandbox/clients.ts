import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

interface Client {
  name: string;
  /** secret id → secret; more than one during rotation. */
  secrets: Map<string, string>;
}

const newSecret = () => randomBytes(24).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The partner's client registration: clients with one or more secrets, added and deleted at will. */
export function createClientRegistry() {
  const clients = new Map<string, Client>();
  return {
    register(name: string) {
      const clientId = randomUUID();
      const secretId = randomUUID();
      const clientSecret = newSecret();
      clients.set(clientId, { name, secrets: new Map([[secretId, clientSecret]]) });
      return { clientId, clientSecret, secretId };
    },
    addSecret(clientId: string) {
      const client = clients.get(clientId);
      if (!client) return null;
      const secretId = randomUUID();
      const clientSecret = newSecret();
      client.secrets.set(secretId, clientSecret);
      return { secretId, clientSecret };
    },
    deleteSecret(clientId: string, secretId: string): boolean {
      return clients.get(clientId)?.secrets.delete(secretId) ?? false;
    },
    /** The id of the secret that matched, or null. */
    authenticate(clientId: string, secret: string): string | null {
      const client = clients.get(clientId);
      if (!client) return null;
      for (const [id, s] of client.secrets) if (same(s, secret)) return id;
      return null;
    },
  };
}

export type ClientRegistry = ReturnType<typeof createClientRegistry>;

/** Client credentials from HTTP Basic (client_secret_basic) or the form body (client_secret_post). */
export function credentialsOf(authorization: string | undefined, body: Record<string, unknown>): { clientId: string; secret: string } | null {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    // RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
    const unescape = (part: string) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return null;
      }
    };
    const [clientId, secret] = [unescape(decoded.slice(0, colon)), unescape(decoded.slice(colon + 1))];
    return clientId === null || secret === null ? null : { clientId, secret };
  }
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string') {
    return { clientId: body.client_id, secret: body.client_secret };
  }
  return null;
}
