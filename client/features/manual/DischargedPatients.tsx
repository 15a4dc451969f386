import {
  Button,
  Link,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { authorText, dateTime } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { fieldValue, type ManualSchema } from '../../../contract/manual';
import { useDischargedPatients, useReadmit } from './api/discharged-patients';
import { DischargedPatientDetails } from './DischargedPatientDetails';
import { useTeamMembers } from './api/team-members';
import { FieldValueView } from './field-values';
import { useRosterTableStyles } from './roster-table-styles';

/** The Discharged view's tab (ManualPatients), which stays while rows come and go. */
const dischargedTab = () => document.querySelector<HTMLElement>('[data-manual-view="discharged"]');
/** How long focus is watched after a Re-admit: the answer and the table read again. */
const READMIT_WAIT_MS = 15_000;

/**
 * The team's discharged patients, read-only: every field as it was, who discharged them and when,
 * and Re-admit, which brings a patient back to the roster (not onto a list). A name opens the
 * patient's details, with the team's notes on them (`notesFor`, from the app).
 */
export function DischargedPatients({ schema, notesFor }: { schema: ManualSchema; notesFor?: (patientId: string) => ReactNode }) {
  const styles = useRosterTableStyles();
  const [open, setOpen] = useState<string | null>(null);
  const discharged = useDischargedPatients();
  const readmit = useReadmit();
  const members = useTeamMembers(schema.fields.some((f) => f.type === 'person'));
  if (discharged.isPending) return <Spinner label={t('app.loading')} />;
  if (discharged.isError) return <ErrorNotice error={discharged.error} />;
  const { patients } = discharged.data;
  if (patients.length === 0) return <Text role="status">{t('manualDetails.noneDischarged')}</Text>;
  return (
    <div className={styles.scroller} data-manual-scroller="">
      {open && (
        <DischargedPatientDetails
          key={open}
          patientId={open}
          schema={schema}
          onClose={() => setOpen(null)}
          notes={notesFor?.(open)}
          focusAfterReadmit={dischargedTab}
        />
      )}
      {readmit.isError && <ErrorNotice error={readmit.error} />}
      <Table aria-label={t('manualDetails.discharged')} size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={mergeClasses(styles.cell, styles.frozen)}>{t('column.name')}</TableHeaderCell>
            <TableHeaderCell className={styles.cell}>{t('manualDetails.dischargedWhen')}</TableHeaderCell>
            <TableHeaderCell className={styles.cell}>{t('column.mrn')}</TableHeaderCell>
            <TableHeaderCell className={styles.cell}>{t('manual.room')}</TableHeaderCell>
            {schema.fields.map((f) => (
              <TableHeaderCell key={f.id} className={styles.cell}>
                {f.label}
              </TableHeaderCell>
            ))}
            <TableHeaderCell className={styles.cell}>{t('column.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {patients.map((p) => (
            <TableRow key={p.id}>
              <TableCell className={mergeClasses(styles.cell, styles.frozen)}>
                <Link as="button" onClick={() => setOpen(p.id)}>
                  {p.name}
                </Link>
              </TableCell>
              <TableCell className={styles.cell}>
                {t('manualDetails.dischargedBy', {
                  time: dateTime(p.discharged.at),
                  name: authorText(p.discharged.byName, p.discharged.byUnverified),
                })}
              </TableCell>
              <TableCell className={styles.cell}>{p.mrn ?? t('value.none')}</TableCell>
              <TableCell className={styles.cell}>{p.room ?? t('value.none')}</TableCell>
              {schema.fields.map((f) => (
                <TableCell key={f.id} className={styles.cell}>
                  <FieldValueView field={f} value={fieldValue(p.values, f.id)} members={members.data?.members} />
                </TableCell>
              ))}
              <TableCell>
                <Button
                  size="small"
                  disabled={readmit.isPending}
                  onClick={() => {
                    // The row goes once the patient is back: focus then lands on the view's tab, not the page.
                    focusWhenLost(dischargedTab, READMIT_WAIT_MS);
                    readmit.mutate(p);
                  }}
                  aria-label={t('manualDetails.readmitNamed', { name: p.name })}
                >
                  {t('manualDetails.readmit')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
