import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/plain-constants';
import { t } from '../../shared/i18n/t';
import type { ListView } from './api/read-list-answers';

/**
 * Says, above the list, that it holds more patients than a list shows (`beyondLimit`): rows added
 * outside the app (in SharePoint) past MAX_PATIENTS_PER_LIST, which the server does not read. The
 * list shows its first patients; taking some off shows the others. Nothing when the list is within the limit.
 */
export function ListLimitNotice({ list }: { list: Pick<ListView, 'beyondLimit'> }) {
  if (!list.beyondLimit) return null;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t('lists.beyondLimitTitle')}</MessageBarTitle>
        {t('lists.beyondLimit', { limit: MAX_PATIENTS_PER_LIST, count: list.beyondLimit })}
      </MessageBarBody>
    </MessageBar>
  );
}
