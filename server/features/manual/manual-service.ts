import { isDeepStrictEqual } from 'node:util';
import type { AuditOperation } from '../../../contract/audit.js';
import { uuid } from '../../../contract/ids.js';
import {
  mrnKey,
  type ManualPatient,
  type ManualPatientData,
  type ManualPatientsAnswer,
  type ManualSchema,
  type PatientBody,
  type SchemaBody,
} from '../../../contract/manual.js';
import { Problem } from '../../platform/problem.js';
import type { Outcome, TeamKey } from '../../storage/ports.js';
import { onCommit, recordDisclosure, recordRead, redeclare, refusalNames } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems, valueOf } from '../shared/outcomes.js';
import { requireManualMode } from '../shared/team-connection.js';
import { takenMrn } from './mrn.js';
import { issueSentence, mergeValues, resolvePersons, schemaConflicts, valuesIssues } from './validation.js';

/** Manual mode: the team's patient schema (owners) and hand-entered patients (members). */

export async function getSchema({ store }: ApiDeps, team: TeamKey): Promise<ManualSchema> {
  return (await store.getSchema(team)) ?? { fields: [], version: 0 };
}

/**
 * Which a schema PUT is, as the team's state tells (a create before the team has a schema, an
 * update after), not its body: asked once the caller passed the team checks, before the body is
 * read, so a refused body (400, 413, 415) is recorded once, as what it was.
 */
export async function schemaOperation({ store }: ApiDeps, team: TeamKey): Promise<AuditOperation[]> {
  return [(await store.getSchema(team)) !== null ? 'PatientSchemaUpdate' : 'PatientSchemaCreate'];
}

/** Fields as the store keeps them (JSON: a key left out and one set to undefined are alike), to tell whether a PUT changes them. */
const sameFields = (sent: SchemaBody['fields'], kept: readonly unknown[]): boolean => isDeepStrictEqual(JSON.parse(JSON.stringify(sent)), kept);

/**
 * Saves the schema against the version read; refused (409, naming the patients and what to do)
 * when existing values would no longer fit. A stale version is judged by the store, not here.
 * Fields sent as they are at the version read change nothing: the schema is answered as it is,
 * its version not raised and nothing recorded (a schema names no patient, and reading it is not
 * recorded either: a "change" record would tell an auditor of a change that never was).
 */
export async function setSchema({ store }: ApiDeps, team: TeamKey, body: SchemaBody): Promise<ManualSchema> {
  await requireManualMode(store, team);
  const current = await store.getSchema(team);
  const unchanged = current ?? { fields: [], version: 0 };
  if ((body.version === undefined || body.version === unchanged.version) && sameFields(body.fields, unchanged.fields)) return unchanged;
  const operation = current !== null ? 'PatientSchemaUpdate' : 'PatientSchemaCreate';
  redeclare(operation);
  const named = new Set<string>();
  const conflicts = schemaConflicts(current?.fields ?? [], body.fields, await store.getManualPatients(team), named);
  if (conflicts.length) {
    // The answer names patients (and what they hold): a read of them, recorded as the import's
    // "already in the team" is (recordDisclosure), and the refused change's records name them too.
    await recordDisclosure(store.audit, 'PatientSearch', { patientIds: [...named] });
    refusalNames(named);
    throw new Problem('schema_conflict', `The change conflicts with values patients already have. ${conflicts.join(' ')}`);
  }
  return valueOf(await store.setSchema(team, body.fields, body.version, onCommit(operation)));
}

/** The whole roster is a search without criteria: recorded with every patient it returns. */
export async function listPatients({ store }: ApiDeps, team: TeamKey): Promise<ManualPatientsAnswer> {
  const patients = await store.getManualPatients(team);
  await recordRead(store.audit, 'PatientSearch', { patientIds: patients.map((p) => p.id) });
  return { patients };
}

/** The patient by id, or 404; malformed ids are simply unknown patients. */
async function findPatient({ store }: ApiDeps, team: TeamKey, id: string): Promise<ManualPatient> {
  const [patient] = uuid.safeParse(id).success ? await store.getManualPatients(team, [id]) : [];
  if (!patient) throw problems.patientNotFound();
  return patient;
}

export async function readPatient(deps: ApiDeps, team: TeamKey, id: string): Promise<ManualPatient> {
  const patient = await findPatient(deps, team, id);
  await recordRead(deps.store.audit, 'PatientView', { patientIds: [id] });
  return patient;
}

export async function createPatient(deps: ApiDeps, team: TeamKey, body: PatientBody, userId: string): Promise<ManualPatient> {
  const { store } = deps;
  await requireManualMode(store, team);
  // Refused (409 roster_full) when the roster holds MAX_ROSTER_PATIENTS patients, admitted and discharged.
  const data = await checked(deps, team, body);
  return valueWithMrn(
    await store.createManualPatient(
      team,
      data,
      userId,
      onCommit('PatientDetailsEdit', (p) => ({ patientIds: [p.id], status: 201 })),
    ),
    data,
  );
}

/** Fields left out keep their value; values merge ("" clears one); refused when someone changed the patient since `version`. */
export async function updatePatient(deps: ApiDeps, team: TeamKey, id: string, body: PatientBody): Promise<ManualPatient> {
  const { store } = deps;
  await requireManualMode(store, team);
  const before = await findPatient(deps, team, id);
  const after = await checked(deps, team, body, before);
  // A save that changes nothing at the version read is an edit of nothing: the patient is answered
  // as they are, version kept (a colleague's pending edit is not made stale), recorded as the read it is.
  if ((body.version === undefined || body.version === before.version) && samePatientData(after, before)) {
    redeclare('PatientView');
    await recordRead(store.audit, 'PatientView', { patientIds: [id] });
    return before;
  }
  return valueWithMrn(
    await store.updateManualPatient(
      team,
      id,
      after,
      body.version,
      onCommit('PatientDetailsEdit', () => ({ patientIds: [id] })),
    ),
    after,
  );
}

/** A store change's result; an MRN a colleague gave another patient since it was checked is refused as the check refuses it. */
function valueWithMrn<T>(outcome: Outcome<T>, data: ManualPatientData): T {
  if (!outcome.ok && outcome.reason === 'mrn_taken') throw problems.mrnTaken(data.mrn ?? undefined);
  return valueOf(outcome);
}

/** Whether a patient's data after a change is what it was (as stored: JSON, so a key left out and one undefined are alike). */
function samePatientData(after: ManualPatientData, before: ManualPatient): boolean {
  const { name, mrn, birthDate, gender, room, values } = before;
  return isDeepStrictEqual(JSON.parse(JSON.stringify(after)), JSON.parse(JSON.stringify({ name, mrn, birthDate, gender, room, values })));
}

/** The patient after the change, checked against the team's schema; persons named as the team's directory names them now. */
async function checked({ store, membership }: ApiDeps, team: TeamKey, body: PatientBody, before?: ManualPatient): Promise<ManualPatientData> {
  const fields = (await store.getSchema(team))?.fields ?? [];
  const sent = await resolvePersons(fields, body.values, before?.values, () => membership.membersOf(team.tenantId, team.teamId));
  const values = mergeValues(before?.values, sent.values);
  // A field refused as sent is not checked again in the merge (a person of a choice field would be named twice).
  const issues = [...sent.issues, ...valuesIssues(fields, values).filter((i) => !sent.issues.some((s) => s.field === i.field))];
  if (issues.length) {
    const words = [...new Set(issues.map((issue) => issueSentence(fields, issue)))].join(' ');
    throw new Problem('validation_failed', words, undefined, issues);
  }
  const keep = <K extends 'mrn' | 'birthDate' | 'gender' | 'room'>(key: K) =>
    (body[key] === undefined ? (before?.[key] ?? null) : body[key]) as ManualPatientData[K];
  const mrn = keep('mrn');
  // A patient keeps the MRN they have; a new one must be no other patient's of the team.
  if (mrnKey(mrn) && mrnKey(mrn) !== mrnKey(before?.mrn)) await refuseTakenMrn(store, team, mrn, before?.id);
  return { name: body.name, mrn, birthDate: keep('birthDate'), gender: keep('gender'), room: keep('room'), values };
}

/** Refused (400, naming the field) when a patient of the team, admitted or discharged, has the MRN; the answer names them, so do its records. */
async function refuseTakenMrn(store: ApiDeps['store'], team: TeamKey, mrn: string | null, self?: string): Promise<void> {
  const [admitted, discharged] = await Promise.all([store.getManualPatients(team), store.getDischargedPatients(team)]);
  const taken = takenMrn(mrn, admitted, discharged, self);
  if (!taken) return;
  // The answer tells that the team has a patient with this MRN (and whether discharged): a read of them.
  await recordDisclosure(store.audit, 'PatientSearch', { patientIds: [taken.holder] });
  refusalNames([taken.holder]);
  throw new Problem('validation_failed', taken.words, ['mrn'], [taken.issue]);
}
