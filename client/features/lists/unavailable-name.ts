import type { ConnectionMode } from '../../../contract/connection';
import { t } from '../../shared/i18n/t';

/**
 * A row the team's current source cannot show, in the words of the mode the team is in: in
 * Manual mode it is a patient left from the EHR, whose id means nothing to the reader.
 */
export function unavailableName(patientId: string, mode: ConnectionMode | undefined): string {
  return mode === 'manual' ? t('lists.unavailableManual') : t('lists.unavailable', { id: patientId });
}
