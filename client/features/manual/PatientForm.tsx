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
  Select,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { currentLanguage, t } from '../../shared/i18n/t';
import { genderLabel } from '../../shared/format';
import { fieldValue, type ManualPatient, type ManualPatientData, type ManualSchema } from '../../../contract/manual';
import { useSaveManualPatient } from './api/manual-patients';
import { useTeamMembers } from './api/team-members';
import { FieldInput, formText, formValue } from './field-inputs';
import { formProblemsByKey, issueProblems, refusedFields } from './form-problems';

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
  // What the form found wrong at the last try, in the user's words; nothing is sent while there is any.
  // Each is shown under its input; the first invalid input takes the focus.
  const [problems, setProblems] = useState<{ key: string; text: string }[]>([]);
  const problemOf = (key: string) => problems.find((p) => p.key === key)?.text;
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problems.length > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  const reset = () =>
    setForm({
      ...empty,
      ...(patient
        ? { name: patient.name, mrn: patient.mrn ?? '', birthDate: patient.birthDate ?? '', gender: patient.gender ?? '', room: patient.room ?? '' }
        : {}),
      ...Object.fromEntries(schema.fields.map((f) => [`v:${f.id}`, formText(f, patient && fieldValue(patient.values, f.id))])),
    });
  // The team's members, for person fields only.
  const members = useTeamMembers(open && schema.fields.some((f) => f.type === 'person'));
  const memberList = members.data?.members ?? [];
  const save = useSaveManualPatient(patient, {
    onSaved: () => {
      setOpen(false);
      onSaved?.();
    },
  });
  /** The patient as the form holds it: empty inputs are no value ("" clears one the patient had), each type as the server takes it. */
  const data = (): ManualPatientData => {
    const before = (id: string) => patient && fieldValue(patient.values, id);
    const values = Object.fromEntries(
      schema.fields
        .filter((f) => form[`v:${f.id}`] !== '' || before(f.id) !== undefined)
        .map((f) => [f.id, formValue(f, form[`v:${f.id}`] ?? '', memberList, before(f.id))]),
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
  // A refusal is said in the user's language: why each team field was refused when the server says so
  // (`issues`), else the fields it names; English without either keeps the server's sentence.
  const invalid = save.error instanceof ApiError && save.error.code === 'validation_failed' ? save.error : null;
  const issues = invalid ? issueProblems(schema.fields, invalid.issues) : [];
  const refused = issues.length ? issues : invalid && currentLanguage() !== 'en' ? refusedFields(schema.fields, invalid.fields) : [];
  const input = (key: string, label: string, type: 'text' | 'date' = 'text', required = false) => (
    <Field label={label} key={key} required={required} validationMessage={problemOf(key)} validationState={problemOf(key) ? 'error' : 'none'}>
      <Input type={type} value={form[key] ?? ''} onChange={(_, d) => setForm((f) => ({ ...f, [key]: d.value }))} />
    </Field>
  );
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (d.open) reset();
        setProblems([]);
        save.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>{trigger}</DialogTrigger>
      <DialogSurface>
        <form
          ref={formRef}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const found = formProblemsByKey(schema.fields, form);
            setProblems(found);
            save.reset();
            if (found.length === 0) save.mutate(data());
          }}
        >
          <DialogBody>
            <DialogTitle>{patient ? t('manual.editPatient', { name: patient.name }) : t('manual.newPatient')}</DialogTitle>
            <DialogContent>
              {input('name', t('column.name'), 'text', true)}
              {input('mrn', t('column.mrn'))}
              {input('birthDate', t('search.birthDate'), 'date')}
              <Field label={t('column.gender')}>
                <Select value={form.gender ?? ''} onChange={(_, d) => setForm((f) => ({ ...f, gender: d.value }))}>
                  <option value="">{t('manual.genderNotStated')}</option>
                  {(['female', 'male', 'other', 'unknown'] as const).map((g) => (
                    <option key={g} value={g}>
                      {genderLabel(g)}
                    </option>
                  ))}
                </Select>
              </Field>
              {input('room', t('manual.room'))}
              {schema.fields.map((f) => (
                <FieldInput
                  key={f.id}
                  field={f}
                  text={form[`v:${f.id}`] ?? ''}
                  onChange={(text) => setForm((x) => ({ ...x, [`v:${f.id}`]: text }))}
                  members={memberList}
                  before={patient && fieldValue(patient.values, f.id)}
                  problem={problemOf(`v:${f.id}`)}
                />
              ))}
              {save.isError &&
                (refused.length > 0 ? (
                  <MessageBar intent="error" role="alert">
                    <MessageBarBody>
                      {refused.map((p) => (
                        <div key={p}>{p}</div>
                      ))}
                    </MessageBarBody>
                  </MessageBar>
                ) : (
                  <ErrorNotice error={save.error} />
                ))}
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
