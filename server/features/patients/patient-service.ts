import { writtenUnderSource } from '../../../contract/connection.js';
import type { PatientDetailsAnswer, PatientSearchAnswer, PatientSummary } from '../../../contract/patients.js';
import type { TeamKey } from '../../storage/ports.js';
import { recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems } from '../shared/outcomes.js';
import { ehrLinkIn, ehrLinkOf } from '../shared/team-connection.js';
import type { PageLinks } from './page-links.js';
import type { PatientSearch } from './search-query.js';

/** Patient search and read against the team's EHR; every answer is recorded with the patients in it. */

/**
 * A search, or its next page. The EHR's next link stays here: the answer's `next` is a page link
 * (page-links.ts) that only `holder` can use, for this team, while the team keeps its EHR link.
 */
export async function searchPatients(
  { store, ehr }: ApiDeps,
  team: TeamKey,
  asked: PatientSearch,
  paging: { links: PageLinks; userId: string },
): Promise<PatientSearchAnswer> {
  const holder = { tenantId: team.tenantId, teamId: team.teamId, userId: paging.userId };
  const url = await ehrLinkOf(store, team);
  // A page link is redeemed before anything goes to the EHR; the gateway checks again that it is a Patient search under the team's link.
  const page = asked.kind === 'page' ? await paging.links.redeem(asked.ticket, holder, url) : undefined;
  const count = page ? page.count : asked.kind === 'search' ? asked.criteria.count : undefined;
  const result = page
    ? await ehr.searchPatients(url, team.tenantId, count !== undefined ? { count } : {}, page.url)
    : await ehr.searchPatients(url, team.tenantId, asked.kind === 'search' ? asked.criteria : {});
  // The next page's link first: a read recorded as a success is one whose answer goes out (a link
  // that cannot be issued fails the call, recorded as a failure); a link issued for an answer
  // whose record then fails is never given out and expires unused.
  const next = result.next ? await paging.links.issue(holder, url, { url: result.next, ...(count !== undefined ? { count } : {}) }) : undefined;
  await recordRead(store.audit, 'PatientSearch', { patientIds: result.patients.map((p) => p.id) });
  return {
    patients: result.patients,
    ...(next ? { next } : {}),
    ...(result.match ? { match: result.match } : {}),
  };
}

export async function readPatient({ store, ehr }: ApiDeps, team: TeamKey, id: string): Promise<PatientSummary> {
  const url = await ehrLinkOf(store, team);
  const patient = await ehr.readPatient(url, team.tenantId, id);
  if (!patient) throw problems.patientNotFound();
  await recordRead(store.audit, 'PatientView', { patientIds: [patient.id] });
  return patient;
}

/** Everything the EHR has on the patient, with the team's notes written under its current source (not those from before it changed). */
export async function readPatientDetails({ store, ehr }: ApiDeps, team: TeamKey, id: string): Promise<PatientDetailsAnswer> {
  const connection = await store.getConnection(team);
  const url = ehrLinkIn(connection);
  const [details, notes] = await Promise.all([ehr.readPatientDetails(url, team.tenantId, id), store.listNotes(team, id)]);
  if (!details) throw problems.patientNotFound();
  await recordRead(store.audit, 'PatientView', { patientIds: [id] });
  return { ...details, notes: notes.filter((n) => writtenUnderSource(connection, n.createdAt)) };
}
