import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular, EditRegular, StarFilled, StarRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { t } from '../../shared/i18n/t';
import { useDeleteList } from './api/delete-list';
import { ExportButton } from './ExportButton';
import { ListChangeNotice } from './ListChangeNotice';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { listPicker, marked } from './focus-after';
import type { ListSummary, ListView } from './api/read-list-answers';
import { useSetDefaultList } from './api/set-default-list';
import { useRenameList } from './api/update-list';

const useStyles = makeStyles({
  bar: { display: 'flex', gap: '4px', flexWrap: 'wrap', alignItems: 'center' },
  isDefault: { display: 'inline-flex', alignItems: 'center', gap: '4px', padding: '0 8px', color: tokens.colorNeutralForeground2 },
  star: { color: tokens.colorPaletteMarigoldForeground1 },
});

/** Rename, delete (after confirmation), make default, export: what can be done to the open list. */
export function ListActions({ list, summary, onDeleted }: { list: ListView; summary?: ListSummary; onDeleted: () => void }) {
  const styles = useStyles();
  const setDefault = useSetDefaultList();
  return (
    <div className={styles.bar}>
      <RenameDialog list={list} />
      <DeleteDialog list={list} onDeleted={onDeleted} />
      {summary?.isDefault ? (
        <Text className={styles.isDefault}>
          <StarFilled aria-hidden className={styles.star} />
          {t('lists.isDefault')}
        </Text>
      ) : (
        <Button appearance="subtle" icon={<StarRegular />} disabled={setDefault.isPending} onClick={() => setDefault.mutate(list.id)}>
          {t('lists.makeDefault')}
        </Button>
      )}
      <ExportButton list={list} />
    </div>
  );
}

function RenameDialog({ list }: { list: ListView }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(list.name);
  const rename = useRenameList(list.id);
  const conflict = rename.error instanceof ApiError && rename.error.code === 'version_conflict';
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        setName(list.name);
        rename.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="subtle" icon={<EditRegular />} data-return="rename">
          {t('lists.rename')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim())
              rename.mutate(
                { name: name.trim(), version: list.version },
                {
                  onSuccess: () => {
                    // Back to Rename (drawn anew perhaps, as the list is read again), not to the page.
                    focusWhenLost(marked('rename'));
                    setOpen(false);
                  },
                },
              );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('lists.renameTitle', { list: list.name })}</DialogTitle>
            <DialogContent>
              <Field label={t('lists.newName')} validationMessage={!name.trim() ? t('lists.nameRequired') : undefined}>
                <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} />
              </Field>
              {/* The list was read again (useRenameList): say what happened and show the name it has now; Save applies to that version. */}
              {conflict && (
                <MessageBar intent="warning" role="status">
                  <MessageBarBody>
                    {t('lists.conflict')} {t('lists.conflictName', { name: list.name })}
                  </MessageBarBody>
                </MessageBar>
              )}
              {rename.isError && !conflict && <ListChangeNotice error={rename.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('lists.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={!name.trim() || rename.isPending}>
                {t('lists.save')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function DeleteDialog({ list, onDeleted }: { list: ListView; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteList();
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        remove.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="subtle" icon={<DeleteRegular />}>
          {t('lists.delete')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('lists.deleteTitle', { list: list.name })}</DialogTitle>
          <DialogContent>
            <Text>{t('lists.deleteBody', { count: list.rows.length })}</Text>
            {remove.isError && <ListChangeNotice error={remove.error} />}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>{t('lists.cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(list.id, {
                  onSuccess: () => {
                    // The list and its actions are gone: focus goes to the list picker, to choose another.
                    focusWhenLost(listPicker);
                    setOpen(false);
                    onDeleted();
                  },
                })
              }
            >
              {t('lists.deleteConfirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
