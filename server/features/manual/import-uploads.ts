import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { heldQuota, jsonBytes, memoryHeldItems, MiB, withQuota, type HeldItems, type HeldQuota } from '../../platform/held-items.js';
import { Problem } from '../../platform/problem.js';
import type { ImportFile } from './import-file.js';

/** Who uploaded a file, for which team: an upload is used only by them, for that team. */
export interface UploadOwner {
  tenantId: string;
  teamId: string;
  userId: string;
}

interface Upload extends UploadOwner {
  file: ImportFile;
  fileName: string;
}

export const IMPORT_UPLOAD_TTL_MS = 15 * 60_000;

/** Uploads one person holds at once, whatever team they are for: a new one replaces their oldest not being imported. */
export const IMPORT_UPLOADS_PER_USER = 3;

/**
 * What an instance holds of uploads (platform/held-items.ts), counted in the bytes of the rows read from
 * the files (as JSON) and not only in uploads: 256 and 256 MiB in all, the bound on the memory
 * they take; an organization a sixteenth (16 uploads and 16 MiB, more than one file of the
 * largest size, 10 MB); one person IMPORT_UPLOADS_PER_USER.
 */
export const IMPORT_UPLOAD_QUOTA: HeldQuota = heldQuota({ items: 256, bytes: 256 * MiB, perUser: IMPORT_UPLOADS_PER_USER, replaceOldest: true });

const gone = () =>
  new Problem('not_found', 'This upload has expired or was already imported (uploads are kept for 15 minutes). Upload the file again.');

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/**
 * Uploaded files between their preview and their import, by a random token: redeemed only by the
 * tenant, team and user that uploaded it, for `ttlMs`. Held in `store`: this process's memory by
 * default, or a table every instance shares (the file read into rows, compressed), so a file
 * previewed through one instance imports through another. A new upload by the same user for the
 * same team replaces theirs, and one past their IMPORT_UPLOADS_PER_USER (across teams) replaces
 * their oldest; an organization at its share is refused (429), and nobody's upload is pushed out
 * for another's (`quota`: IMPORT_UPLOAD_QUOTA).
 */
export function createImportUploads({
  ttlMs = IMPORT_UPLOAD_TTL_MS,
  quota = IMPORT_UPLOAD_QUOTA,
  now = Date.now,
  store = memoryHeldItems({ now }) as HeldItems,
} = {}) {
  const kind = store.kind<Upload>({
    name: 'upload',
    ttlMs,
    encode: (upload) => zip(JSON.stringify(upload)),
    decode: async (bytes) => JSON.parse((await unzip(bytes)).toString()) as Upload,
  });
  const held = withQuota(kind, {
    quota,
    now: store.now,
    sizeOf: (upload) => jsonBytes(upload.file),
    words: {
      user: `You have ${quota.perUser} files waiting to be imported, each being imported just now. Let those imports finish, then upload the file again.`,
      tenant: `Your organization has as many files waiting to be imported as one organization may (${quota.perTenant.items.toLocaleString('en')} files, ${Math.round(quota.perTenant.bytes / MiB)} MB). Confirm or leave the imports already started (an upload is kept 15 minutes), then upload the file again.`,
      instance: 'Too many imports are being prepared. Try again in a few minutes.',
    },
  });
  const sameOwner = (a: UploadOwner, b: UploadOwner) => a.tenantId === b.tenantId && a.teamId === b.teamId && a.userId === b.userId;
  // One upload per user and team: the slot names them (a table keeps only its hash).
  const slotOf = (owner: UploadOwner) => JSON.stringify([owner.tenantId, owner.teamId, owner.userId]);

  return {
    async hold(owner: UploadOwner, fileName: string, file: ImportFile): Promise<string> {
      const upload: Upload = { tenantId: owner.tenantId, teamId: owner.teamId, userId: owner.userId, fileName, file };
      return (await held.put(upload, { owner: owner.tenantId, user: owner.userId, slot: slotOf(owner) })).ticket;
    },

    /** The upload, for its owner only; any other token is refused the same way. */
    async get(token: string, owner: UploadOwner): Promise<ImportFile> {
      const found = await held.peek(token);
      if (found.state !== 'held' || !sameOwner(found.value, owner)) throw gone();
      return found.value.file;
    },

    /**
     * Takes the upload out for an import, so that two imports at once (through any instance)
     * cannot both use it; `putBack` returns it when the import did not happen (refused, or
     * failed), `done` frees it once the import is made.
     */
    async take(token: string, owner: UploadOwner): Promise<{ file: ImportFile; putBack: () => Promise<void>; done: () => Promise<void> }> {
      const taken = await held.take(token);
      if (taken.state !== 'held') throw gone();
      if (!sameOwner(taken.value, owner)) {
        await taken.putBack();
        throw gone();
      }
      return { file: taken.value.file, putBack: taken.putBack, done: taken.discard };
    },

    get size() {
      return held.size;
    },
  };
}

export type ImportUploads = ReturnType<typeof createImportUploads>;
