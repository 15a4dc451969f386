import {
  Button, Field, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles,
} from '@fluentui/react-components';
import { useList, useLists, useRemovePatient } from '../../shared/api/lists';
import type { ListView } from '../../shared/api/types';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { birthDateWithAge, genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { NewListDialog } from './NewListDialog';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  bar: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
});

/** The team's lists: pick one, create one, see its patients and remove them. */
export function ListsPanel({ listId, onSelect }: { listId: string | null; onSelect: (listId: string) => void }) {
  const styles = useStyles();
  const lists = useLists();
  const list = useList(listId);
  return (
    <section className={styles.section} aria-labelledby="lists-title">
      <Title3 as="h2" id="lists-title">{t('lists.title')}</Title3>
      <div className={styles.bar}>
        {lists.data && lists.data.length > 0 && (
          <Field label={t('lists.pick')}>
            <Select value={listId ?? ''} onChange={(_, d) => onSelect(d.value)}>
              {lists.data.map((l) => (
                <option key={l.id} value={l.id}>{t('lists.count', { name: l.name, count: l.patientCount })}</option>
              ))}
            </Select>
          </Field>
        )}
        <NewListDialog onCreated={onSelect} />
      </div>
      {lists.isPending && <Spinner size="small" label={t('app.loading')} />}
      {lists.isError && <ErrorNotice error={lists.error} />}
      {lists.data?.length === 0 && <Text>{t('lists.none')}</Text>}
      {list.isError && <ErrorNotice error={list.error} />}
      {list.isPending && listId && <Spinner size="small" label={t('app.loading')} />}
      {list.data && <ListTable list={list.data} />}
    </section>
  );
}

function ListTable({ list }: { list: ListView }) {
  const remove = useRemovePatient(list.id);
  if (list.rows.length === 0) return <Text role="status">{t('lists.empty')}</Text>;
  return (
    <>
      {list.ehrError && <ErrorNotice error={new Error(list.ehrError.message)} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      <Table aria-label={list.name} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('column.name')}</TableHeaderCell>
            <TableHeaderCell>{t('column.mrn')}</TableHeaderCell>
            <TableHeaderCell>{t('column.birthDate')}</TableHeaderCell>
            <TableHeaderCell>{t('column.gender')}</TableHeaderCell>
            <TableHeaderCell>{t('column.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {list.rows.map((row) => {
            const name = row.displayName ?? t('lists.unavailable', { id: row.patientId });
            return (
              <TableRow key={row.patientId}>
                <TableCell>{name}</TableCell>
                <TableCell>{row.available ? row.mrn ?? t('value.none') : t('value.unavailable')}</TableCell>
                <TableCell>{row.available ? birthDateWithAge(row.birthDate) : t('value.unavailable')}</TableCell>
                <TableCell>{row.available ? genderLabel(row.gender) : t('value.unavailable')}</TableCell>
                <TableCell>
                  <Button size="small" aria-label={t('lists.removeLabel', { name, list: list.name })} disabled={remove.isPending} onClick={() => remove.mutate(row.patientId)}>
                    {t('lists.remove')}
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}
