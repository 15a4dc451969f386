import type { ListView } from './api/read-list-answers';

/**
 * The patients "Remove N patients that cannot be shown" may take off a list: only those whose
 * rows the team's source said are gone (not found, deleted, no longer the team's source). A row
 * that failed for a passing reason (the EHR not answering, timing out, failing, refusing) is
 * never among them, and while the answer carries an EHR error none is: an outage must not look
 * like patients to clear away.
 */
export function removableIds(list: Pick<ListView, 'rows' | 'ehrError'>): string[] {
  if (list.ehrError) return [];
  return list.rows.filter((r) => !r.available && r.unavailable === 'gone').map((r) => r.patientId);
}
