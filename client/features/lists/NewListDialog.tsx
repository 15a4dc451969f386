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
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useCreateList } from './api/create-list';

/** Asks for a name and creates the list. */
export function NewListDialog({ onCreated }: { onCreated: (listId: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useCreateList();
  const trimmed = name.trim();
  const problem = !trimmed ? t('lists.nameRequired') : trimmed.length > 200 ? t('lists.nameTooLong') : undefined;
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (!d.open) {
          setName('');
          setTouched(false);
          create.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<AddRegular />}>{t('lists.new')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (problem) return;
            create.mutate(trimmed, {
              onSuccess: (list) => {
                setOpen(false);
                setName('');
                setTouched(false);
                onCreated(list.id);
              },
            });
          }}
        >
          <DialogBody>
            <DialogTitle>{t('lists.newTitle')}</DialogTitle>
            <DialogContent>
              <Field label={t('lists.newName')} required validationMessage={touched ? problem : undefined}>
                <Input value={name} onChange={(_, d) => setName(d.value)} />
              </Field>
              {create.isError && <ErrorNotice error={create.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('lists.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={create.isPending}>
                {t('lists.create')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
