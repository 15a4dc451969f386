import type { ConnectionMode } from '../../../contract/connection';
import type { ListRow } from '../../../contract/lists';
import { t } from '../../shared/i18n/t';

/**
 * A row the team's current source cannot show, in the words of the mode the team is in: in
 * Manual mode it is a patient left from the EHR, whose id means nothing to the reader; with an
 * EHR, a patient the team entered by hand in Manual mode says so rather than naming their id.
 */
export function unavailableName(row: Pick<ListRow, 'patientId' | 'handEntered'>, mode: ConnectionMode | undefined): string {
  if (mode === 'manual') return t('lists.unavailableManual');
  return row.handEntered ? t('lists.unavailableHandEntered') : t('lists.unavailable', { id: row.patientId });
}
