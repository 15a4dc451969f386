import { randomBytes } from 'node:crypto';
import { Problem } from '../../platform/problem.js';
import type { ImportFile } from './import-file.js';

/** Who uploaded a file, for which team: an upload is used only by them, for that team. */
export interface UploadOwner {
  tenantId: string;
  teamId: string;
  userId: string;
}

interface Held extends UploadOwner {
  file: ImportFile;
  fileName: string;
  expiresAt: number;
}

export const IMPORT_UPLOAD_TTL_MS = 15 * 60_000;
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

const gone = () =>
  new Problem('not_found', 'This upload has expired or was already imported (uploads are kept for 15 minutes). Upload the file again.');

/**
 * Uploaded files between their preview and their import, in this process's memory, by a random
 * token: redeemed only by the tenant, team and user that uploaded it, for `ttlMs`. A new upload by
 * the same user for the same team replaces theirs; at most `max` are held (each up to 10 MB), and
 * when full a new one is refused rather than pushing out someone else's.
 */
export function createImportUploads({ ttlMs = IMPORT_UPLOAD_TTL_MS, max = 20, now = Date.now } = {}) {
  const held = new Map<string, Held>();
  const sameOwner = (a: UploadOwner, b: UploadOwner) => a.tenantId === b.tenantId && a.teamId === b.teamId && a.userId === b.userId;
  const sweep = () => {
    for (const [token, upload] of held) if (upload.expiresAt <= now()) held.delete(token);
  };
  return {
    hold(owner: UploadOwner, fileName: string, file: ImportFile): string {
      for (const [token, upload] of held) if (sameOwner(upload, owner)) held.delete(token);
      if (held.size >= max) sweep();
      if (held.size >= max) throw new Problem('throttled', 'Too many imports are being prepared. Try again in a few minutes.');
      const token = randomBytes(32).toString('base64url');
      held.set(token, { ...owner, fileName, file, expiresAt: now() + ttlMs });
      setTimeout(() => held.delete(token), ttlMs + 5_000).unref();
      return token;
    },

    /** The upload, for its owner only; any other token is refused the same way. */
    get(token: string, owner: UploadOwner): ImportFile {
      const upload = tokenShape.test(token) ? held.get(token) : undefined;
      if (!upload || !sameOwner(upload, owner) || upload.expiresAt <= now()) throw gone();
      return upload.file;
    },

    /**
     * Takes the upload out for an import, so that two imports at once cannot both use it; the
     * answer's `putBack` returns it when the import did not happen (refused, or failed).
     */
    take(token: string, owner: UploadOwner): { file: ImportFile; putBack: () => void } {
      const file = this.get(token, owner);
      const upload = held.get(token)!;
      held.delete(token);
      return { file, putBack: () => void held.set(token, upload) };
    },

    get size() {
      return held.size;
    },
  };
}

export type ImportUploads = ReturnType<typeof createImportUploads>;
