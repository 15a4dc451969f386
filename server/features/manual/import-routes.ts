import express, { type Request, type Response } from 'express';
import { importConfirmBody, importPreviewBody, IMPORT_MAX_BYTES } from '../../../contract/manual-import.js';
import { teamKey } from '../../identity/middleware.js';
import { Problem } from '../../platform/problem.js';
import { caller } from '../../platform/request-context.js';
import { createWorkGate, GateBusy } from '../../platform/work-gate.js';
import { recordRead } from '../shared/audit-trail.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { confirmImport, previewImport, receiveFile } from './import-service.js';
import { createImportUploads, type UploadOwner } from './import-uploads.js';

// The file's bytes as sent, read only after the caller was checked as the team's owner; a
// Content-Length over the limit is refused before any of the body is read.
const rawFile = express.raw({ type: () => true, limit: IMPORT_MAX_BYTES });

function readFile(req: Request, res: Response): Promise<Buffer> {
  if (req.is('application/json')) {
    return Promise.reject(new Problem('unsupported_media_type', 'Send the file itself, as application/octet-stream, with its name in X-File-Name.'));
  }
  return new Promise((resolve, reject) => {
    rawFile(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        reject(new Problem('payload_too_large', 'The file is larger than 10 MB. Split it, or keep only the columns you need, and import each part.'));
      } else if (err) reject(err);
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

/**
 * Uploads this process receives and reads at once: each holds its file (up to 10 MB) in memory
 * from its first byte to its answer, so without a bound one owner sending many at once (or
 * slowly) could take the server's memory. One user has a small share, so they never take every
 * place; one more is refused at once (503, Retry-After), before any of its body is read.
 */
export const UPLOADS_AT_ONCE = 8;
export const UPLOADS_PER_USER_AT_ONCE = 2;
const UPLOAD_RETRY_AFTER_SECONDS = 5;
export const uploadsReceived = createWorkGate(
  UPLOADS_AT_ONCE,
  () => new GateBusy('Many files are being imported right now. Try again in a few seconds.', UPLOAD_RETRY_AFTER_SECONDS),
  {
    places: UPLOADS_PER_USER_AT_ONCE,
    busy: () => new GateBusy('Your other files are still being uploaded. Wait for them to finish, then try again.', UPLOAD_RETRY_AFTER_SECONDS),
  },
);

/** The file's name as the tab sends it (percent-encoded, as headers are Latin-1), for its kind and the answer. */
function fileNameOf(req: Request): string {
  const raw = req.get('x-file-name') ?? '';
  try {
    return decodeURIComponent(raw)
      .replace(/\p{Cc}/gu, '')
      .slice(0, 200);
  } catch {
    return '';
  }
}

/**
 * Manual mode: importing patients from an Excel or CSV file, owners only. Uploads wait for their
 * import in `heldItems` (shared by all instances when the app runs with shared storage).
 */
export function importRoutes(ep: Endpoints, deps: ApiDeps): void {
  const uploads = createImportUploads({ store: deps.heldItems });
  const base = '/teams/:teamId/manual-import';
  const owner = (req: Request): UploadOwner => ({ ...teamKey(req), userId: caller().userId });

  // The first step of an import (PatientDetailsEdit, as its confirmation): the file is patient
  // data brought into the team, held until it is imported. Its answer names only its columns, but
  // a refused upload (not the owner, not Manual mode, too large) is recorded as a failure, and an
  // accepted one as a success naming the team and no patient (its rows are no patients yet:
  // those it creates are named when the import is confirmed), before the answer goes out.
  ep.post(`${base}/file`, { audit: 'PatientDetailsEdit', access: 'owner', body: 'file' }, async (req, res) => {
    const who = owner(req);
    const received = await uploadsReceived
      .run(async () => receiveFile(deps, uploads, who, fileNameOf(req), await readFile(req, res)), `${who.tenantId}/${who.userId}`)
      .catch((err: unknown) => {
        // Too many uploads at once, or another workbook is being read (import-file's gate): 503, and when to try again.
        if (err instanceof GateBusy) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        throw err;
      });
    await recordRead(deps.store.audit, 'PatientDetailsEdit');
    res.json(received);
  });

  ep.post(`${base}/preview`, { audit: 'PatientSearch', access: 'owner' }, async (req, res) => {
    res.json(await previewImport(deps, uploads, owner(req), importPreviewBody.parse(req.body)));
  });

  ep.post(`${base}/confirm`, { audit: 'PatientDetailsEdit', access: 'owner' }, async (req, res) => {
    res.status(201).json(await confirmImport(deps, uploads, owner(req), importConfirmBody.parse(req.body)));
  });
}
