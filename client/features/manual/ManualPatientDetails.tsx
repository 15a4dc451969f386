import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { EditRegular, SignOutRegular } from '@fluentui/react-icons';
import { useMutationState, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { DetailsDrawer, DetailsHeading } from '../../shared/components/DetailsDrawer';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { birthDateWithAge, genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { fieldValue, type ManualPatient, type ManualSchema } from '../../../contract/manual';
import { useDischarge, useManualPatient } from './api/manual-patient';
import { manualPatientsKey } from './api/manual-patients';
import { useSchema } from './api/schema';
import { useTeamMembers } from './api/team-members';
import { FieldValueView } from './field-values';
import { PatientForm } from './PatientForm';

/** The layout of a hand-entered patient's details (also the discharged one's). */
export const useManualDetailsStyles = makeStyles({
  body: { paddingTop: '8px', display: 'flex', flexDirection: 'column', gap: '16px' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  fields: { display: 'grid', gridTemplateColumns: 'minmax(100px, max-content) minmax(0, 1fr)', gap: '6px 16px', margin: 0 },
  label: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
});

/** Every field of the patient, built-in ones first, as the roster and the lists show them. */
export function ManualFields({ patient, schema }: { patient: ManualPatient; schema: ManualSchema }) {
  const styles = useManualDetailsStyles();
  // Who is in the team, to tell a person who left; asked only when the team has a person field.
  const members = useTeamMembers(schema.fields.some((f) => f.type === 'person'));
  const none = t('value.none');
  const rows: [string, string, ReactNode][] = [
    ['name', t('column.name'), patient.name],
    ['mrn', t('column.mrn'), patient.mrn ?? none],
    ['birthDate', t('column.birthDate'), birthDateWithAge(patient.birthDate)],
    ['gender', t('column.gender'), genderLabel(patient.gender)],
    ['room', t('manual.room'), patient.room ?? none],
    ...schema.fields.map((f): [string, string, ReactNode] => [
      `field:${f.id}`,
      f.label,
      <FieldValueView key={f.id} field={f} value={fieldValue(patient.values, f.id)} members={members.data?.members} />,
    ]),
  ];
  return (
    <dl className={styles.fields}>
      {rows.map(([key, label, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt className={styles.label}>{label}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Reads the patient again whenever a save anywhere in the tab was refused because a colleague changed it first. */
function useRereadOnConflict(patientId: string | null) {
  const { teamId } = useSession();
  const queryClient = useQueryClient();
  const conflicts = useMutationState({
    filters: { status: 'error', predicate: (m) => m.state.error instanceof ApiError && m.state.error.status === 412 },
  }).length;
  useEffect(() => {
    if (conflicts) void queryClient.invalidateQueries({ queryKey: manualPatientsKey(teamId) });
  }, [conflicts, patientId, queryClient, teamId]);
}

/**
 * Gives focus back to what opened the drawer (the patient's name in the list) when it closes: the
 * app mounts the drawer afresh per patient and opens it without a trigger, so Fluent has nothing
 * to return focus to and it would fall to the page. A discharge or re-admission made in the drawer
 * takes that name away just after: focus then goes to `fallback`, a control that stays.
 */
export function useFocusBack(open: boolean, fallback?: () => HTMLElement | null) {
  const [from] = useState(() => {
    const active = document.activeElement;
    return open && active instanceof HTMLElement && active !== document.body && !active.closest('[role="dialog"]') ? active : null;
  });
  // Where it lands is decided when the drawer opens, as `from` is.
  const [then] = useState(() => fallback);
  useEffect(() => () => void (from && focusWhenLost(() => (from.isConnected ? from : then?.()))), [from, then]);
}

/**
 * The details of a hand-entered patient: every field (built-in and the team's), editing in place
 * (the patient form, against the version read), the team's notes (`notes`: the same section as in
 * the EHR details, handed in by the app) and discharge, with confirmation. When a colleague's
 * change arrives, it is shown and said so. `onChanged` is for what else shows the patient (the lists).
 */
export function ManualPatientDetails({
  patientId,
  onClose,
  onChanged,
  notes,
  focusAfterDischarge,
}: {
  patientId: string | null;
  onClose: () => void;
  onChanged?: () => void;
  notes?: ReactNode;
  /** Where focus goes once the discharged patient's name has left the list (the app's list picker). */
  focusAfterDischarge?: () => HTMLElement | null;
}) {
  const styles = useManualDetailsStyles();
  const patient = useManualPatient(patientId);
  const schema = useSchema();
  useRereadOnConflict(patientId);
  useFocusBack(patientId !== null, focusAfterDischarge);
  const p = patient.data;
  // A version the user did not save here is a colleague's.
  const shown = useRef<number | null>(null);
  const ownSave = useRef(false);
  const [colleagueChanged, setColleagueChanged] = useState(false);
  useEffect(() => {
    if (!p) return;
    if (shown.current !== null && p.version !== shown.current && !ownSave.current) setColleagueChanged(true);
    ownSave.current = false;
    shown.current = p.version;
  }, [p]);
  const [confirming, setConfirming] = useState(false);
  const discharge = useDischarge(p, {
    onDischarged: () => {
      setConfirming(false);
      onChanged?.();
      onClose();
    },
  });
  return (
    <DetailsDrawer open={Boolean(patientId)} title={p ? p.name : t('details.title')} onClose={onClose} bodyClassName={styles.body}>
      {(patient.isPending || schema.isPending) && <Spinner label={t('app.loading')} />}
      {patient.isError && <ErrorNotice error={patient.error} />}
      {schema.isError && <ErrorNotice error={schema.error} />}
      {p && schema.data && (
        <>
          {colleagueChanged && (
            <MessageBar intent="warning" role="status">
              <MessageBarBody>{t('manualDetails.colleagueChanged')}</MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.actions}>
            <PatientForm
              schema={schema.data}
              patient={p}
              onSaved={() => {
                ownSave.current = true;
                setColleagueChanged(false);
                onChanged?.();
              }}
              trigger={<Button icon={<EditRegular />}>{t('manualDetails.edit')}</Button>}
            />
            <Dialog
              open={confirming}
              onOpenChange={(_, d) => {
                setConfirming(d.open);
                discharge.reset();
              }}
            >
              <DialogTrigger disableButtonEnhancement>
                <Button icon={<SignOutRegular />}>{t('manualDetails.discharge')}</Button>
              </DialogTrigger>
              <DialogSurface>
                <DialogBody>
                  <DialogTitle>{t('manualDetails.confirmTitle', { name: p.name })}</DialogTitle>
                  <DialogContent>
                    <Text>{t('manualDetails.confirmText', { name: p.name })}</Text>
                    {discharge.isError && <ErrorNotice error={discharge.error} />}
                  </DialogContent>
                  <DialogActions>
                    <DialogTrigger disableButtonEnhancement>
                      <Button>{t('lists.cancel')}</Button>
                    </DialogTrigger>
                    <Button appearance="primary" disabled={discharge.isPending} onClick={() => discharge.mutate()}>
                      {t('manualDetails.discharge')}
                    </Button>
                  </DialogActions>
                </DialogBody>
              </DialogSurface>
            </Dialog>
          </div>
          <section aria-labelledby="manual-details-fields">
            <DetailsHeading id="manual-details-fields">{t('manualDetails.fields')}</DetailsHeading>
            <ManualFields patient={p} schema={schema.data} />
          </section>
          {notes}
        </>
      )}
    </DetailsDrawer>
  );
}
