import { Field, Select, Spinner, Text, Title3, makeStyles } from '@fluentui/react-components';
import { Suspense, useEffect, useState } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { useList, useResetList } from './api/get-list';
import { useLists } from './api/get-lists';
import { ErrorBoundary } from '../../shared/components/ErrorBoundary';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { onDemand } from '../../shared/components/OnDemand';
import { t } from '../../shared/i18n/t';
import { ListActions, ListGoneWatch, NewListDialog } from './dialogs-on-demand';

// The table of the list's patients, with its virtualizer and the cells' formatting and marks (about
// 19 kB gzip), is not in the tab's first download: it is asked for when the lists first render,
// together with the list's data, so it is here by the time the rows are; the loading spinner stands in meanwhile.
const loadListTable = () => import('./ListTable').then((m) => m.ListTable);
const ListTable = onDemand(loadListTable);

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  bar: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  // A long list name is cut to the pane, never widening the page (a select is as wide as its longest option).
  pick: { maxWidth: '100%', gridTemplateColumns: 'minmax(0, auto)' },
});

/** The team's lists: pick one, create one, see its patients and remove them. */
export function ListsPanel({
  listId,
  onSelect,
  onOpenPatient,
}: {
  listId: string | null;
  onSelect: (listId: string) => void;
  onOpenPatient: (patientId: string) => void;
}) {
  const styles = useStyles();
  const lists = useLists();
  const list = useList(listId);
  const resetList = useResetList();
  // A list a colleague deleted leaves the view (ListGoneWatch); a choice of list puts its notice away, and a list deleted here is not one.
  const [picked, setPicked] = useState(0);
  const [deleted, setDeleted] = useState<string | null>(null);
  const choose = (id: string) => {
    setPicked((n) => n + 1);
    onSelect(id);
  };
  // The watch says so; the read's own error is not shown as well.
  const listGone = list.error instanceof ApiError && list.error.code === 'list_not_found';
  // The table's chunk is asked for now, with the list's data; if it cannot be fetched, its place says so once the list shows.
  useEffect(() => void loadListTable().catch(() => undefined), []);
  return (
    <section className={styles.section} aria-labelledby="lists-title">
      <Title3 as="h2" id="lists-title" style={{ margin: 0 }}>
        {t('lists.title')}
      </Title3>
      <div className={styles.bar}>
        {lists.data && lists.data.length > 0 && (
          <Field label={t('lists.pick')} className={styles.pick}>
            <Select value={listId ?? ''} onChange={(_, d) => choose(d.value)}>
              {lists.data.map((l) => (
                <option key={l.id} value={l.id}>
                  {/* A list with rows the server does not read has at least that many patients. */}
                  {t('lists.count', { name: l.name, count: l.rowsUnread ? `${l.patientCount}+` : l.patientCount })}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <NewListDialog onCreated={choose} />
      </div>
      <ListGoneWatch key={picked} listId={listId} summaries={lists.data} data={list.data} error={list.error} deleted={deleted} onGone={onSelect} />
      {lists.isPending && <Spinner size="small" label={t('app.loading')} />}
      {lists.isError && <ErrorNotice error={lists.error} />}
      {lists.data?.length === 0 && <Text>{t('lists.none')}</Text>}
      {list.isError && !listGone && <ErrorNotice error={list.error} />}
      {list.isPending && listId && <Spinner size="small" label={t('app.loading')} />}
      {list.data && (
        <>
          <ErrorBoundary scope="panel" key={`actions/${list.data.id}`}>
            <ListActions
              list={list.data}
              summary={lists.data?.find((l) => l.id === list.data.id)}
              onDeleted={() => {
                setDeleted(list.data.id);
                choose('');
              }}
            />
          </ErrorBoundary>
          {/* A list that cannot be shown fails here only: the picker above still opens the others. */}
          <ErrorBoundary scope="panel" key={`table/${list.data.id}`} resetKey={list.data.version} onReset={() => resetList(list.data.id)}>
            <Suspense fallback={<Spinner size="small" label={t('app.loading')} />}>
              <ListTable list={list.data} others={lists.data?.filter((l) => l.id !== list.data.id) ?? []} onOpenPatient={onOpenPatient} />
            </Suspense>
          </ErrorBoundary>
        </>
      )}
    </section>
  );
}
