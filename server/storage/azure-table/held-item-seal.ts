import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What a held item looks like outside the process. Its key in the table is the SHA-256 of its
 * ticket, and its bytes are sealed with AES-256-GCM under a key derived from the ticket (HKDF,
 * RFC 5869): whoever reads the storage account, without the ticket, learns neither the item nor
 * a way to it. The kind and the expiry are bound to the seal as associated data, so an item
 * moved to another kind or given a later expiry in the table no longer opens.
 */

const SALT = Buffer.from('patients/held-items/v1');

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

/** The table's name for a ticket's item: the kind, and the SHA-256 of the ticket's 32 bytes. */
export function itemKey(kind: string, ticket: string): string {
  return `${kind}-${createHash('sha256').update(Buffer.from(ticket, 'base64url')).digest('hex')}`;
}

function keyOf(kind: string, ticket: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(ticket, 'base64url'), SALT, `item:${kind}`, 32));
}

const associated = (kind: string, expiresAt: number) => Buffer.from(`${kind}\n${expiresAt}`);

export function seal(kind: string, ticket: string, expiresAt: number, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(kind, ticket), iv);
  cipher.setAAD(associated(kind, expiresAt));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/** The item's bytes, or undefined when the seal does not open (another ticket, or anything changed). */
export function unseal(kind: string, ticket: string, expiresAt: number, sealed: Sealed): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(kind, ticket), sealed.iv, { authTagLength: 16 });
    decipher.setAAD(associated(kind, expiresAt));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.data), decipher.final()]);
  } catch {
    return undefined;
  }
}
