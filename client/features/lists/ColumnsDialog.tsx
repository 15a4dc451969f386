import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownRegular, ArrowUpRegular, TableSettingsRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { columnLabel } from '../../shared/cells';
import { allColumns } from '../../shared/columns';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { ApiError } from '../../shared/api/api-client';
import { useRefreshLists } from './api/get-lists';
import { useReadCurrentList } from './api/read-current-list';
import { useSaveColumns } from './api/update-list';
import type { ListView } from './api/read-list-answers';

const useStyles = makeStyles({
  rows: { display: 'flex', flexDirection: 'column' },
  row: {
    display: 'grid',
    gridTemplateColumns: '1fr auto auto',
    alignItems: 'center',
    gap: '4px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  label: { minWidth: 0 },
});

/** Choose and order the list's columns; saved for the whole team against the version read. */
export function ColumnsDialog({ list }: { list: ListView }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string[]>(list.columns);
  const order = [...shown, ...allColumns.filter((c) => !shown.includes(c))];
  // After a version conflict: the list as a colleague left it, shown here and saved against.
  const [theirs, setTheirs] = useState<ListView | null>(null);
  const save = useSaveColumns(theirs ?? list);
  const readCurrent = useReadCurrentList();
  const refreshLists = useRefreshLists();
  const conflict = save.error instanceof ApiError && save.error.code === 'version_conflict';
  const saveColumns = () =>
    save.mutate(shown, {
      onSuccess: () => setOpen(false),
      onError: (error) => {
        if (!(error instanceof ApiError && error.code === 'version_conflict')) return;
        void readCurrent(list.id).then((current) => {
          setTheirs(current);
          setShown(current.columns);
        });
      },
    });
  const move = (column: string, by: -1 | 1) =>
    setShown((cols) => {
      const i = cols.indexOf(column);
      const j = i + by;
      if (i < 0 || j < 0 || j >= cols.length) return cols;
      const next = [...cols];
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        setShown(list.columns);
        save.reset();
        // Closed after a conflict without saving: the list behind shows the colleague's version too.
        if (!d.open && theirs) refreshLists(list.id);
        setTheirs(null);
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<TableSettingsRegular />}>{t('columns.edit')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('columns.title', { list: list.name })}</DialogTitle>
          <DialogContent className={styles.rows}>
            {order.map((column) => {
              const on = shown.includes(column);
              const label = columnLabel(column);
              return (
                <div key={column} className={styles.row}>
                  <Checkbox
                    className={styles.label}
                    label={label}
                    checked={on}
                    disabled={on && shown.length === 1}
                    onChange={(_, d) => setShown((cols) => (d.checked ? [...cols, column] : cols.filter((c) => c !== column)))}
                  />
                  <Button
                    size="small"
                    appearance="subtle"
                    disabled={!on || shown.indexOf(column) === 0}
                    onClick={() => move(column, -1)}
                    aria-label={t('columns.up', { column: label })}
                    icon={<ArrowUpRegular />}
                  />
                  <Button
                    size="small"
                    appearance="subtle"
                    disabled={!on || shown.indexOf(column) === shown.length - 1}
                    onClick={() => move(column, 1)}
                    aria-label={t('columns.down', { column: label })}
                    icon={<ArrowDownRegular />}
                  />
                </div>
              );
            })}
            {conflict && theirs && (
              <MessageBar intent="warning" role="status">
                <MessageBarBody>
                  {t('lists.conflict')} {t('columns.theirs', { columns: theirs.columns.map(columnLabel).join(', ') })}
                </MessageBarBody>
              </MessageBar>
            )}
            {save.isError && !conflict && <ErrorNotice error={save.error} />}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>{t('lists.cancel')}</Button>
            </DialogTrigger>
            <Button appearance="primary" onClick={saveColumns} disabled={save.isPending}>
              {t('columns.save')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
