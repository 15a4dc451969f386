import {
  Button, DrawerBody, DrawerHeader, DrawerHeaderTitle, Field, OverlayDrawer, Spinner, Text, Textarea, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { cellText, columnLabel, type Cell } from '../../shared/cells';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { birthDateWithAge, dateTime, genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { TrendChart } from './TrendChart';

const useStyles = makeStyles({
  section: { marginBottom: '20px', display: 'flex', flexDirection: 'column', gap: '6px' },
  vital: { display: 'grid', gridTemplateColumns: '140px 1fr', alignItems: 'center', gap: '8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, paddingBottom: '4px' },
  item: { margin: 0, paddingLeft: '18px' },
});

type Json = Record<string, any>;
const vitalKinds = ['heartRate', 'bloodPressure', 'respiratoryRate', 'temperature', 'spo2', 'weight', 'height', 'bmi'];

function Section({ title, cell, children }: { title: string; cell: Cell; children: (value: any) => ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <Title3 as="h3">{title}</Title3>
      {cell.status === 'ok' && !(Array.isArray(cell.value) && cell.value.length === 0) ? children(cell.value) : <Text>{cellText('', cell.status === 'ok' ? { status: 'none' } : cell).text}</Text>}
    </section>
  );
}

const line = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

/** Everything about one patient, with vital sign trends and the team's notes. */
export function PatientDetails({ patientId, onClose }: { patientId: string | null; onClose: () => void }) {
  const styles = useStyles();
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const details = useQuery({
    queryKey: ['details', teamId, patientId],
    enabled: Boolean(patientId),
    queryFn: ({ signal }) => api<Json>(`/api/teams/${teamId}/patients/${patientId}/details`, { signal }),
  });
  const addNote = useMutation({
    mutationFn: (text: string) => api(`/api/teams/${teamId}/patients/${patientId}/notes`, { method: 'POST', body: { text } }),
    onSuccess: () => {
      setNote('');
      void queryClient.invalidateQueries({ queryKey: ['details', teamId, patientId] });
      void queryClient.invalidateQueries({ queryKey: ['list', teamId] });
    },
  });
  const d = details.data;
  return (
    <OverlayDrawer open={Boolean(patientId)} onOpenChange={(_, s) => !s.open && onClose()} position="end" size="large">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" onClick={onClose}>{t('details.close')}</Button>}>
          {d ? d.patient.displayName : t('details.title')}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        {details.isPending && <Spinner label={t('app.loading')} />}
        {details.isError && <ErrorNotice error={details.error} />}
        {d && (
          <>
            <Text block>{line(d.patient.mrn && `${t('column.mrn')} ${d.patient.mrn}`, birthDateWithAge(d.patient.birthDate), genderLabel(d.patient.gender))}</Text>
            <Section title={t('details.careProvider')} cell={d.careProvider}>{(v) => <Text>{v}</Text>}</Section>
            <Section title={t('details.vitals')} cell={d.vitals}>
              {(latest: Json) =>
                vitalKinds.filter((k) => latest[k]).map((kind) => {
                  const shown = cellText(kind, { status: 'ok', value: latest[kind] });
                  const history: Json[] = d.vitalHistory.status === 'ok' ? d.vitalHistory.value[kind] ?? [] : [];
                  const points = history
                    .map((r) => ({ time: r.time?.epochMs ?? 0, value: kind === 'bloodPressure' ? r.systolic?.value : r.value?.value }))
                    .filter((p) => typeof p.value === 'number');
                  return (
                    <div key={kind} className={styles.vital}>
                      <Text weight="semibold">{columnLabel(kind)}</Text>
                      <div>
                        <Text>{shown.text}</Text> <Text size={200}>{shown.detail}</Text>
                        <TrendChart label={t('details.trend', { kind: columnLabel(kind) })} points={points} />
                      </div>
                    </div>
                  );
                })
              }
            </Section>
            <Section title={t('details.encounters')} cell={d.encounters}>
              {(list: Json[]) => <ul className={styles.item}>{list.map((e, i) => <li key={i}>{line(e.type, e.status, e.start?.text, e.location)}</li>)}</ul>}
            </Section>
            <Section title={t('details.conditions')} cell={d.conditions}>
              {(list: Json[]) => <ul className={styles.item}>{list.map((c, i) => <li key={i}>{line(c.display, c.severity && t('details.severity', { value: c.severity }), c.date?.text, c.clinicalStatus)}</li>)}</ul>}
            </Section>
            <Section title={t('details.allergies')} cell={d.allergies}>
              {(list: Json[]) => (
                <ul className={styles.item}>
                  {list.map((a, i) => (
                    <li key={i}>{line(a.substance, a.clinicalStatus, a.verificationStatus, a.criticality, a.reactions?.length && t('details.reaction', { value: a.reactions.flatMap((r: Json) => r.manifestations).join(', ') }), a.note)}</li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={t('details.medications')} cell={d.medications}>
              {(list: Json[]) => <ul className={styles.item}>{list.map((m, i) => <li key={i}>{line(m.name, m.dosage, m.date?.text, m.prescriber && t('details.prescriber', { value: m.prescriber }))}</li>)}</ul>}
            </Section>
            <Section title={t('details.coverage')} cell={d.coverage}>
              {(list: Json[]) => <ul className={styles.item}>{list.map((c, i) => <li key={i}>{line(c.payer, c.plan, c.group, c.subscriberId, c.periodStart?.text && `${c.periodStart.text} – ${c.periodEnd?.text ?? ''}`)}</li>)}</ul>}
            </Section>
            <section className={styles.section} aria-label={t('details.notes')}>
              <Title3 as="h3">{t('details.notes')}</Title3>
              {d.notes.length === 0 && <Text>{t('details.noNotes')}</Text>}
              <ul className={styles.item}>
                {d.notes.map((n: Json) => (
                  <li key={n.id}><Text>{n.text}</Text> <Text size={200}>{t('details.noteBy', { author: n.authorName, time: dateTime(n.createdAt) })}</Text></li>
                ))}
              </ul>
              <form noValidate onSubmit={(e) => { e.preventDefault(); if (note.trim()) addNote.mutate(note.trim()); }}>
                <Field label={t('details.newNote')}>
                  <Textarea value={note} onChange={(_, v) => setNote(v.value)} maxLength={4000} />
                </Field>
                <Button type="submit" appearance="primary" disabled={!note.trim() || addNote.isPending} style={{ marginTop: 8 }}>{t('details.addNote')}</Button>
              </form>
              {addNote.isError && <ErrorNotice error={addNote.error} />}
            </section>
          </>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}
