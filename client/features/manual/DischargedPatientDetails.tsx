import { Button, Spinner, Text } from '@fluentui/react-components';
import { ArrowEnterRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { DetailsDrawer, DetailsHeading } from '../../shared/components/DetailsDrawer';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { authorText, dateTime } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import type { ManualSchema } from '../../../contract/manual';
import { useDischargedPatient, useReadmit } from './api/discharged-patients';
import { ManualFields, useFocusBack, useManualDetailsStyles } from './ManualPatientDetails';

/**
 * A discharged patient's details, read-only: who discharged them and when, every field as it
 * was, the team's notes (`notes`, handed in by the app: still readable and addable), and
 * Re-admit, which brings them back to the roster and closes the drawer.
 */
export function DischargedPatientDetails({
  patientId,
  schema,
  onClose,
  notes,
  focusAfterReadmit,
}: {
  patientId: string | null;
  schema: ManualSchema;
  onClose: () => void;
  notes?: ReactNode;
  /** Where focus goes once the re-admitted patient's name has left the discharged table. */
  focusAfterReadmit: () => HTMLElement | null;
}) {
  const styles = useManualDetailsStyles();
  const patient = useDischargedPatient(patientId);
  const readmit = useReadmit();
  useFocusBack(patientId !== null, focusAfterReadmit);
  const p = patient.data;
  return (
    <DetailsDrawer open={Boolean(patientId)} title={p ? p.name : t('details.title')} onClose={onClose} bodyClassName={styles.body}>
      {patient.isPending && <Spinner label={t('app.loading')} />}
      {patient.isError && <ErrorNotice error={patient.error} />}
      {p && (
        <>
          <div className={styles.actions}>
            <Text>
              {t('manualDetails.dischargedBy', { time: dateTime(p.discharged.at), name: authorText(p.discharged.byName, p.discharged.byUnverified) })}
            </Text>
            <Button icon={<ArrowEnterRegular />} disabled={readmit.isPending} onClick={() => readmit.mutate(p, { onSuccess: onClose })}>
              {t('manualDetails.readmit')}
            </Button>
          </div>
          {readmit.isError && <ErrorNotice error={readmit.error} />}
          <section aria-labelledby="discharged-details-fields">
            <DetailsHeading id="discharged-details-fields">{t('manualDetails.fields')}</DetailsHeading>
            <ManualFields patient={p} schema={schema} />
          </section>
          {notes}
        </>
      )}
    </DetailsDrawer>
  );
}
