import type { RecordNoticeValue } from '../../shared/format';
import { t } from '../../shared/i18n/t';

/** What the details say about a replaced, qualified, inactive or secondary record: which record to use instead, when the EHR names it. */
export function recordNoticeAdvice(notice: RecordNoticeValue): string {
  if (notice.kind === 'inactive') return t('record.inactiveAdvice');
  if (notice.kind === 'qualified') return t('record.qualifiedAdvice');
  const other = notice.replacedByName ?? notice.replacedById;
  if (notice.kind === 'refer') return other ? t('record.referTo', { other }) : t('record.referAdvice');
  return other ? t('record.replacedBy', { other }) : t('record.replacedAdvice');
}
