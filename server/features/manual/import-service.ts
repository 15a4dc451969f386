import type {
  ImportConfirmAnswer,
  ImportConfirmBody,
  ImportFileAnswer,
  ImportPreviewAnswer,
  ImportPreviewBody,
} from '../../../contract/manual-import.js';
import { MAX_ROSTER_PATIENTS, mrnKey, type ManualPatient } from '../../../contract/manual.js';
import { Problem } from '../../platform/problem.js';
import type { TeamKey } from '../../storage/ports.js';
import { onCommit, recordDisclosure, recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems } from '../shared/outcomes.js';
import { requireManualMode } from '../shared/team-connection.js';
import { readImportFile } from './import-file.js';
import { checkRows, namesAField, proposeMapping, publicRow, type CheckedRow } from './import-rows.js';
import type { ImportUploads, UploadOwner } from './import-uploads.js';

/**
 * Importing patients from a file (owners): the file is read and held under a token, the owner's
 * mapping gives a preview of every row with its problems, and the confirmation creates the rows
 * that can be imported in one change of the store, each audited as a created patient. Every
 * step checks the rows again against the schema and patients as they are then.
 */

export async function receiveFile(
  deps: ApiDeps,
  uploads: ImportUploads,
  owner: UploadOwner,
  fileName: string,
  body: Buffer,
): Promise<ImportFileAnswer> {
  await requireManualMode(deps.store, owner);
  const fields = (await deps.store.getSchema(owner))?.fields ?? [];
  const file = await readImportFile(body, fileName, namesAField(fields));
  const token = await uploads.hold(owner, fileName, file);
  return { token, fileName, columns: file.columns, rowCount: file.rows.length, mapping: proposeMapping(file.columns, fields) };
}

/** The rows against the team as it is now; the patients whose MRNs the file repeats are read, and recorded so. */
async function checked({ store, membership }: ApiDeps, team: TeamKey, file: Parameters<typeof checkRows>[0], mapping: ImportPreviewBody['mapping']) {
  const fields = (await store.getSchema(team))?.fields ?? [];
  // The team's members are asked for only when a column goes to a person field.
  const persons = fields.some((f) => f.type === 'person' && mapping.some((m) => m.target === `field:${f.id}`));
  const [existing, discharged, members] = await Promise.all([
    store.getManualPatients(team),
    store.getDischargedPatients(team),
    persons ? membership.membersOf(team.tenantId, team.teamId) : [],
  ]);
  const rows = checkRows(file, mapping, fields, existing, discharged, members);
  // How many more patients the roster can take admitted (discharged ones do not count).
  const room = Math.max(0, MAX_ROSTER_PATIENTS - existing.length);
  return { rows, matched: matchedPatients(rows, [...existing, ...discharged]), room };
}

/** Patients of the team whose MRN a row of the file repeats: the preview tells of them. */
function matchedPatients(rows: CheckedRow[], existing: ManualPatient[]): string[] {
  const mrns = new Set(rows.flatMap((r) => mrnKey(r.mrn) ?? []));
  return existing.filter((p) => mrns.has(mrnKey(p.mrn) ?? '')).map((p) => p.id);
}

export async function previewImport(
  deps: ApiDeps,
  uploads: ImportUploads,
  owner: UploadOwner,
  body: ImportPreviewBody,
): Promise<ImportPreviewAnswer> {
  await requireManualMode(deps.store, owner);
  const file = await uploads.get(body.token, owner);
  const { rows, matched } = await checked(deps, owner, file, body.mapping);
  await recordRead(deps.store.audit, 'PatientSearch', { patientIds: matched });
  const valid = rows.filter((r) => r.data).length;
  return { rows: rows.map(publicRow), valid, invalid: rows.length - valid };
}

/** The first few problem rows, in words, for a refusal. */
const listed = (rows: CheckedRow[]) =>
  rows
    .slice(0, 5)
    .map((r) => `Row ${r.row}: ${r.problems.join(' ')}`)
    .join(' ') + (rows.length > 5 ? ` And ${rows.length - 5} more rows.` : '');

export async function confirmImport(
  deps: ApiDeps,
  uploads: ImportUploads,
  owner: UploadOwner,
  body: ImportConfirmBody,
): Promise<ImportConfirmAnswer> {
  await requireManualMode(deps.store, owner);
  // Taken out for the import, so a second confirmation at once finds nothing to import twice.
  const { file, putBack, done } = await uploads.take(body.token, owner);
  try {
    const { rows, matched, room } = await checked(deps, owner, file, body.mapping);
    const invalid = rows.filter((r) => !r.data);
    const valid = rows.filter((r) => r.data);
    // Skipped rows name the team's patients their MRNs match ("already in the team"), in a refusal
    // as in an import's answer: a read of those patients (PatientSearch, as the preview records it),
    // recorded before anything is answered. The import itself names none of them.
    if (invalid.length && matched.length) await recordDisclosure(deps.store.audit, 'PatientSearch', { patientIds: matched });
    if (body.mode === 'all' && invalid.length)
      throw new Problem('validation_failed', `${invalid.length} of ${rows.length} rows have problems, so nothing was imported. ${listed(invalid)}`);
    if (!valid.length) throw new Problem('validation_failed', `No row can be imported, so nothing was imported. ${listed(invalid)}`);
    // The roster's limit, checked again by the store in the change itself.
    if (valid.length > room) throw problems.rosterFull(room, valid.length);
    const written = await deps.store.createManualPatients(
      owner,
      valid.map((r) => r.data!),
      owner.userId,
      onCommit('PatientDetailsEdit', (created) => ({ patientIds: created.map((p) => p.id), status: 201 })),
    );
    // Others added patients since the rows were checked, and the roster has no room for these any more.
    if (!written.ok && written.reason === 'roster_full')
      throw problems.rosterFull((await checked(deps, owner, file, body.mapping)).room, valid.length);
    // Another import (or a colleague) added one of these MRNs since the rows were checked.
    if (!written.ok)
      throw new Problem(
        'version_conflict',
        'Patients with MRNs of this file were added to the team meanwhile, so nothing was imported. Check the rows again to see which.',
      );
    await done();
    return { imported: valid.length, skipped: invalid.map(publicRow) };
  } catch (err) {
    // The refusal is what the owner needs to hear; an upload that cannot be put back reads as expired next time.
    await putBack().catch(() => undefined);
    throw err;
  }
}
