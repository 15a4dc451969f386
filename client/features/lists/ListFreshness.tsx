import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { currentLocale, t } from '../../shared/i18n/t';
import { shortDateTime } from '../../shared/format';
import { useListReadState } from './api/get-list';
import { useRefreshLists } from './api/get-lists';

const useStyles = makeStyles({
  bar: { display: 'flex', gap: '8px', alignItems: 'center', minHeight: '32px' },
  muted: { color: tokens.colorNeutralForeground2 },
  stale: { color: tokens.colorPaletteDarkOrangeForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** The time a list was read, in the user's locale: the time alone today ("14:05"), else with the day. */
export function readTime(at: Date, now = new Date()): string {
  const day = (d: Date) => d.toDateString();
  return day(at) === day(now) ? new Intl.DateTimeFormat(currentLocale(), { timeStyle: 'short' }).format(at) : shortDateTime(at, now);
}

/** The lists whose Refresh was pressed, until the read it asked for is announced (ListAnnouncer). */
export const refreshAsked = new Set<string>();

/**
 * When the open list was read ("As of 14:05") and Refresh, which reads it again with the team's
 * lists (their names and counts in the picker). While a read is under way the rows shown stay and
 * a spinner says so; the list is also read again when the tab comes back into view (listQuery). A
 * read again that failed leaves the earlier rows on screen: the time then says so, beside the
 * rows, in words and announced, so they are not taken for current.
 */
export function ListFreshness({ listId }: { listId: string }) {
  const styles = useStyles();
  const list = useListReadState(listId);
  const refresh = useRefreshLists();
  const stale = list.isError && list.dataUpdatedAt > 0 && !list.isFetching;
  return (
    <div className={styles.bar}>
      {list.dataUpdatedAt > 0 && (
        <Text className={stale ? styles.stale : styles.muted} data-testid="list-as-of" role={stale ? 'alert' : undefined}>
          {t(stale ? 'lists.staleAsOf' : 'lists.asOf', { time: readTime(new Date(list.dataUpdatedAt)) })}
        </Text>
      )}
      {list.isFetching && <Spinner size="tiny" label={t('lists.reading')} />}
      <Button
        icon={<ArrowClockwiseRegular />}
        title={t('lists.refreshHint')}
        disabledFocusable={list.isFetching}
        onClick={() => {
          refreshAsked.add(listId);
          refresh(listId);
        }}
      >
        {t('lists.refresh')}
      </Button>
    </div>
  );
}
