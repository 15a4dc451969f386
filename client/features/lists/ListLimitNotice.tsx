import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/plain-constants';
import { t } from '../../shared/i18n/t';
import type { ListView } from './api/read-list-answers';

/**
 * Says, above the list, that it holds more patients than a list shows (`beyondLimit`): rows added
 * outside the app (in SharePoint) past MAX_PATIENTS_PER_LIST, which the server does not read. The
 * list shows its first patients; taking some off shows the others. When its SharePoint list holds
 * more rows than the server reads (`rowsUnread`), the count is a least number, and taking patients
 * off cannot show them all: it says so. Nothing when the list is within the limit.
 */
export function ListLimitNotice({ list }: { list: Pick<ListView, 'beyondLimit' | 'rowsUnread'> }) {
  if (!list.beyondLimit && !list.rowsUnread) return null;
  const limit = MAX_PATIENTS_PER_LIST;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t(list.rowsUnread ? 'lists.rowsUnreadTitle' : 'lists.beyondLimitTitle')}</MessageBarTitle>
        {!list.rowsUnread
          ? t('lists.beyondLimit', { limit, count: list.beyondLimit ?? 0 })
          : list.beyondLimit
            ? t('lists.rowsUnreadBeyond', { limit, count: list.beyondLimit })
            : t('lists.rowsUnread', { limit })}
      </MessageBarBody>
    </MessageBar>
  );
}
