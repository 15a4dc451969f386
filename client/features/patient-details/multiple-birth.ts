import { t } from '../../shared/i18n/t';

/** "multiple birth, birth order 2", or "multiple birth" without an order; '' for anything else (contract PatientSummary.multipleBirth). */
export function multipleBirthText(value: unknown): string {
  if (value === true) return t('details.multipleBirth');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return '';
  return t('details.multipleBirthOrder', { order: value });
}
