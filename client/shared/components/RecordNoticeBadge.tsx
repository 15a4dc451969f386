import { Badge } from '@fluentui/react-components';
import { WarningFilled } from '@fluentui/react-icons';
import { recordNoticeLabel, type RecordNoticeValue } from '../format';

/**
 * Beside a patient's name: the EHR says this record is not the one to use (replaced by another, or
 * inactive). Icon and words, not colour alone; the details say which record to use instead.
 */
export function RecordNoticeBadge({ notice, className }: { notice: RecordNoticeValue; className?: string }) {
  return (
    <Badge appearance="tint" color="warning" icon={<WarningFilled />} className={className}>
      {recordNoticeLabel(notice)}
    </Badge>
  );
}
