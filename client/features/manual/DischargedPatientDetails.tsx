import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowEnterRegular, DismissRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { dateTime } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import type { ManualSchema } from '../../../contract/manual';
import { useDischargedPatient, useReadmit } from './api/discharged-patients';
import { ManualFields, useFocusBack } from './ManualPatientDetails';

const useStyles = makeStyles({
  drawer: { maxWidth: '100%' },
  body: { paddingTop: '8px', display: 'flex', flexDirection: 'column', gap: '16px' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  heading: { margin: 0, paddingBottom: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
});

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
}: {
  patientId: string | null;
  schema: ManualSchema;
  onClose: () => void;
  notes?: ReactNode;
}) {
  const styles = useStyles();
  const patient = useDischargedPatient(patientId);
  const readmit = useReadmit();
  useFocusBack(patientId !== null);
  const p = patient.data;
  return (
    <OverlayDrawer open={Boolean(patientId)} onOpenChange={(_, s) => !s.open && onClose()} position="end" size="large" className={styles.drawer}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" icon={<DismissRegular />} onClick={onClose}>
              {t('details.close')}
            </Button>
          }
        >
          {p ? p.name : t('details.title')}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {patient.isPending && <Spinner label={t('app.loading')} />}
        {patient.isError && <ErrorNotice error={patient.error} />}
        {p && (
          <>
            <div className={styles.actions}>
              <Text>{t('manualDetails.dischargedBy', { time: dateTime(p.discharged.at), name: p.discharged.byName })}</Text>
              <Button icon={<ArrowEnterRegular />} disabled={readmit.isPending} onClick={() => readmit.mutate(p, { onSuccess: onClose })}>
                {t('manualDetails.readmit')}
              </Button>
            </div>
            {readmit.isError && <ErrorNotice error={readmit.error} />}
            <section aria-labelledby="discharged-details-fields">
              <Subtitle2 as="h3" id="discharged-details-fields" className={styles.heading}>
                {t('manualDetails.fields')}
              </Subtitle2>
              <ManualFields patient={p} schema={schema} />
            </section>
            {notes}
          </>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}
