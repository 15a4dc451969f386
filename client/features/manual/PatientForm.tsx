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
  Select,
} from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import type { ManualPatient, ManualPatientData, ManualSchema } from '../../../contract/manual';
import { useSaveManualPatient } from './api/manual-patients';

/** Adds a patient by hand, or edits one, with the team's own fields; `onSaved` after a save. */
export function PatientForm({
  schema,
  patient,
  trigger,
  onSaved,
}: {
  schema: ManualSchema;
  patient?: ManualPatient;
  trigger: ReactElement;
  onSaved?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const empty = { name: '', mrn: '', birthDate: '', gender: '', room: '' };
  const [form, setForm] = useState<Record<string, string>>({});
  const reset = () =>
    setForm({
      ...empty,
      ...(patient
        ? { name: patient.name, mrn: patient.mrn ?? '', birthDate: patient.birthDate ?? '', gender: patient.gender ?? '', room: patient.room ?? '' }
        : {}),
      ...Object.fromEntries(schema.fields.map((f) => [`v:${f.id}`, patient?.values[f.id] === undefined ? '' : String(patient.values[f.id])])),
    });
  const save = useSaveManualPatient(patient, {
    onSaved: () => {
      setOpen(false);
      onSaved?.();
    },
  });
  /** The patient as the form holds it: empty boxes are no value, numbers are numbers. */
  const data = (): ManualPatientData => {
    const values = Object.fromEntries(
      schema.fields
        .filter((f) => form[`v:${f.id}`] !== '' || patient?.values[f.id] !== undefined)
        .map((f) => [f.id, f.type === 'number' && form[`v:${f.id}`] !== '' ? Number(form[`v:${f.id}`]) : form[`v:${f.id}`]]),
    );
    return {
      name: form.name,
      mrn: form.mrn || null,
      birthDate: form.birthDate || null,
      // The choices offered are the contract's; the server checks whatever comes.
      gender: (form.gender || null) as ManualPatientData['gender'],
      room: form.room || null,
      values,
    };
  };
  const input = (key: string, label: string, type: 'text' | 'number' | 'date' = 'text') => (
    <Field label={label} key={key}>
      <Input type={type} value={form[key] ?? ''} onChange={(_, d) => setForm((f) => ({ ...f, [key]: d.value }))} />
    </Field>
  );
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (d.open) reset();
        save.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>{trigger}</DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(data());
          }}
        >
          <DialogBody>
            <DialogTitle>{patient ? t('manual.editPatient', { name: patient.name }) : t('manual.newPatient')}</DialogTitle>
            <DialogContent>
              {input('name', t('column.name'))}
              {input('mrn', t('column.mrn'))}
              {input('birthDate', t('search.birthDate'), 'date')}
              <Field label={t('column.gender')}>
                <Select value={form.gender ?? ''} onChange={(_, d) => setForm((f) => ({ ...f, gender: d.value }))}>
                  <option value="">{t('search.anyGender')}</option>
                  {(['female', 'male', 'other', 'unknown'] as const).map((g) => (
                    <option key={g} value={g}>
                      {genderLabel(g)}
                    </option>
                  ))}
                </Select>
              </Field>
              {input('room', t('manual.room'))}
              {schema.fields.map((f) =>
                f.type === 'choice' ? (
                  <Field label={f.label} key={f.id} required={f.required}>
                    <Select value={form[`v:${f.id}`] ?? ''} onChange={(_, d) => setForm((x) => ({ ...x, [`v:${f.id}`]: d.value }))}>
                      <option value="" />
                      {f.choices?.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </Select>
                  </Field>
                ) : (
                  input(`v:${f.id}`, f.label, f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text')
                ),
              )}
              {save.isError && <ErrorNotice error={save.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('lists.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={save.isPending}>
                {t('manual.savePatient')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
