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
import { allColumns } from '../../shared/columns';
import { fieldOf, listColumnLabel } from '../../shared/field-cells';
import { t } from '../../shared/i18n/t';
import { ApiError } from '../../shared/api/api-client';
import { useRefreshLists } from './api/get-lists';
import { useReadCurrentList } from './api/read-current-list';
import { useSaveColumns } from './api/update-list';
import type { ListView } from './api/read-list-answers';
import { ListChangeNotice } from './ListChangeNotice';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { marked } from './focus-after';

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

/**
 * The built-in columns a Manual-mode list offers: the patient's own (name, MRN, birth date, gender),
 * the room, and the team's latest note. The clinical columns only an EHR fills are not offered
 * there (a list that still shows one keeps it on offer, so it can be taken off).
 */
const manualColumns = ['name', 'mrn', 'birthDate', 'gender', 'location', 'latestNote'];

/** What the chooser offers: every built-in column for an EHR team; in Manual mode the above and the team's fields, by label. */
export function offeredColumns(list: Pick<ListView, 'fields'>): string[] {
  if (!list.fields) return [...allColumns];
  return [...manualColumns, ...list.fields.map((f) => `field:${f.id}`)];
}

/** The columns the chooser starts from: the list's, less team fields since removed (saving then drops them). */
export function startingColumns(list: Pick<ListView, 'columns' | 'fields'>): string[] {
  const kept = list.fields ? list.columns.filter((c) => !c.startsWith('field:') || fieldOf(c, list.fields)) : list.columns;
  return kept.length ? kept : ['name'];
}

/** Choose and order the list's columns; saved for the whole team against the version read. */
export function ColumnsDialog({ list }: { list: ListView }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string[]>(() => startingColumns(list));
  const offered = offeredColumns(list);
  const order = [...shown, ...offered.filter((c) => !shown.includes(c))];
  // After a version conflict: the list as a colleague left it, shown here and saved against.
  const [theirs, setTheirs] = useState<ListView | null>(null);
  const columnLabel = (column: string) => listColumnLabel(column, (theirs ?? list).fields);
  const save = useSaveColumns(theirs ?? list);
  const readCurrent = useReadCurrentList();
  const refreshLists = useRefreshLists();
  const conflict = save.error instanceof ApiError && save.error.code === 'version_conflict';
  const saveColumns = () =>
    save.mutate(shown, {
      onSuccess: () => {
        // The list's new version draws the Columns button anew: focus goes back to it, not to the page.
        focusWhenLost(marked('columns'));
        setOpen(false);
      },
      onError: (error) => {
        if (!(error instanceof ApiError && error.code === 'version_conflict')) return;
        void readCurrent(list.id).then((current) => {
          setTheirs(current);
          setShown(startingColumns(current));
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
        setShown(startingColumns(list));
        save.reset();
        // Closed after a conflict without saving: the list behind shows the colleague's version too.
        if (!d.open && theirs) refreshLists(list.id);
        setTheirs(null);
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<TableSettingsRegular />} data-return="columns">
          {t('columns.edit')}
        </Button>
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
                  {t('lists.conflict')} {t('columns.theirs', { columns: theirs.columns.map((c) => columnLabel(c)).join(', ') })}
                </MessageBarBody>
              </MessageBar>
            )}
            {save.isError && !conflict && <ListChangeNotice error={save.error} />}
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
