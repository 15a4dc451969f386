import type { PatientDetailsAnswer, PatientSearchAnswer, PatientSummary } from '../../../contract/patients.js';
import type { TeamKey } from '../../storage/ports.js';
import { recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems } from '../shared/outcomes.js';
import { ehrLinkOf } from '../shared/team-connection.js';
import { encodePageCursor, type PatientSearch } from './search-query.js';

/** Patient search and read against the team's EHR; every answer is recorded with the patients in it. */

export async function searchPatients({ store, ehr }: ApiDeps, team: TeamKey, asked: PatientSearch): Promise<PatientSearchAnswer> {
  // The next-page cursor wraps the EHR's own next link; the gateway checks that it lies under the team's link.
  const url = await ehrLinkOf(store, team);
  const result =
    asked.kind === 'page'
      ? await ehr.searchPatients(url, team.tenantId, {}, asked.pageUrl)
      : await ehr.searchPatients(url, team.tenantId, asked.criteria);
  await recordRead(store.audit, 'PatientSearch', { patientIds: result.patients.map((p) => p.id) });
  return {
    patients: result.patients,
    ...(result.next ? { next: encodePageCursor(result.next) } : {}),
    ...(result.match ? { match: result.match } : {}),
  };
}

export async function readPatient({ store, ehr }: ApiDeps, team: TeamKey, id: string): Promise<PatientSummary> {
  const url = await ehrLinkOf(store, team);
  const patient = await ehr.readPatient(url, team.tenantId, id);
  if (!patient) throw problems.patientNotFound();
  await recordRead(store.audit, 'PatientView', { patientIds: [id] });
  return patient;
}

/** Everything the EHR has on the patient, with the team's notes. */
export async function readPatientDetails({ store, ehr }: ApiDeps, team: TeamKey, id: string): Promise<PatientDetailsAnswer> {
  const url = await ehrLinkOf(store, team);
  const [details, notes] = await Promise.all([ehr.readPatientDetails(url, team.tenantId, id), store.listNotes(team, id)]);
  if (!details) throw problems.patientNotFound();
  await recordRead(store.audit, 'PatientView', { patientIds: [id] });
  return { ...details, notes };
}
