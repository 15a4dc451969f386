import { uuid } from '../../../contract/ids.js';
import { fieldValue, type ManualPatient, type ManualPatientData, type SchemaField } from '../../../contract/manual.js';
import type { DischargeBody, DischargedPatient, DischargedPatientsAnswer } from '../../../contract/manual-discharge.js';
import { Problem } from '../../platform/problem.js';
import { DischargeStopped, type DischargeResult, type Outcome, type TeamKey } from '../../storage/ports.js';
import { allOf, onCommit, recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { valueOf } from '../shared/outcomes.js';
import { requireManualMode } from '../shared/team-connection.js';
import { valueProblem } from './validation.js';

/**
 * Discharge of hand-entered patients. Any member of the team may discharge or re-admit, as
 * anyone on the ward may take a patient off a list: the trail says who did. A discharged
 * patient is kept, read-only, and leaves every list in the same change; re-admission brings
 * them back to the roster, not onto lists (the ward decides where they go).
 */

const notAdmitted = () => new Problem('patient_not_found', 'The team has no admitted patient with this id: they may have been discharged already.');
const notDischarged = () => new Problem('patient_not_found', 'The team has no discharged patient with this id.');
const known = (id: string) => uuid.safeParse(id).success;

export async function dischargePatient(
  { store }: ApiDeps,
  team: TeamKey,
  id: string,
  body: DischargeBody,
  by: { id: string; name: string },
): Promise<DischargedPatient> {
  await requireManualMode(store, team);
  if (!known(id)) throw notAdmitted();
  const discharge = { at: new Date().toISOString(), byId: by.id, byName: by.name };
  // One record of the discharge, and one per list the patient was taken off.
  const audit = allOf<DischargeResult>(
    onCommit('PatientDischarge', () => ({ patientIds: [id] })),
    (result) =>
      result.removedFromLists.flatMap((listId) =>
        onCommit<DischargeResult>('PatientListRemovePatient', () => ({ patientIds: [id], listId }))(result),
      ),
  );
  let outcome: Outcome<DischargeResult, 'not_found' | 'conflict'>;
  try {
    outcome = await store.dischargeManualPatient(team, id, discharge, body.version, audit);
  } catch (error) {
    if (!(error instanceof DischargeStopped)) throw error;
    const { partial } = error;
    // What a discharge that stopped half-way changed stands: its records first, then the call fails as its cause did.
    const made = [
      ...(partial.patient ? onCommit('PatientDischarge', () => ({ patientIds: [id] }))(null) : []),
      ...partial.removedFromLists.flatMap((listId) => onCommit('PatientListRemovePatient', () => ({ patientIds: [id], listId }))(null)),
    ];
    await store.audit.append(...made);
    const { cause } = error;
    if (isRefusal(cause)) outcome = cause;
    else throw cause;
  }
  if (!outcome.ok && outcome.reason === 'not_found') throw notAdmitted();
  return valueOf(outcome).patient;
}

const isRefusal = (value: unknown): value is Outcome<DischargeResult, 'not_found' | 'conflict'> =>
  typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

/**
 * The values a re-admitted patient keeps: those of fields the team still has, that still fit
 * them. The team may have removed or changed fields while the patient was away (discharged
 * patients do not hold schema changes back); a value left behind would make the patient
 * impossible to edit.
 */
function keptValues(fields: SchemaField[], values: ManualPatientData['values']): ManualPatientData['values'] {
  const kept: ManualPatientData['values'] = {};
  for (const field of fields) {
    const value = fieldValue(values, field.id);
    if (value === undefined || valueProblem(field, value)) continue;
    Object.defineProperty(kept, field.id, { value, enumerable: true, writable: true, configurable: true });
  }
  return kept;
}

export async function readmitPatient({ store }: ApiDeps, team: TeamKey, id: string, body: DischargeBody): Promise<ManualPatient> {
  await requireManualMode(store, team);
  const [patient] = known(id) ? await store.getDischargedPatients(team, [id]) : [];
  if (!patient) throw notDischarged();
  const values = keptValues((await store.getSchema(team))?.fields ?? [], patient.values);
  // Values that no longer fit the team's fields are dropped, not kept: kept, they would make every
  // save of the patient fail and hold the team's next field changes back, which is why a field
  // change is refused while admitted patients hold such values until a member clears them (an
  // edit, recorded as PatientDetailsEdit). Dropping them here is that same change of the patient's
  // record, made by whoever re-admits, so it is recorded the same way: a PatientDetailsEdit record
  // naming the patient, committed with the re-admission, so the trail shows who changed the
  // patient's values and when (records hold ids only, never the values). Nothing dropped: none.
  const dropped = Object.keys(patient.values).some((key) => !Object.hasOwn(values, key));
  const outcome = await store.readmitManualPatient(
    team,
    id,
    values,
    body.version,
    allOf<ManualPatient>(
      onCommit('PatientReadmit', () => ({ patientIds: [id] })),
      onCommit('PatientDetailsEdit', () => (dropped ? { patientIds: [id] } : null)),
    ),
  );
  if (!outcome.ok && outcome.reason === 'not_found') throw notDischarged();
  return valueOf(outcome);
}

/** The discharged roster is a search without criteria, recorded with every patient it returns. */
export async function listDischarged({ store }: ApiDeps, team: TeamKey): Promise<DischargedPatientsAnswer> {
  const patients = await store.getDischargedPatients(team);
  await recordRead(store.audit, 'PatientSearch', { patientIds: patients.map((p) => p.id) });
  return { patients };
}

/** One discharged patient, read like any patient's details. */
export async function readDischarged({ store }: ApiDeps, team: TeamKey, id: string): Promise<DischargedPatient> {
  const [patient] = known(id) ? await store.getDischargedPatients(team, [id]) : [];
  if (!patient) throw notDischarged();
  await recordRead(store.audit, 'PatientView', { patientIds: [id] });
  return patient;
}
