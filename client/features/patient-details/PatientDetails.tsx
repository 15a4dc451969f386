import {
  Badge,
  Button,
  Caption1,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { HeartBrokenRegular } from '@fluentui/react-icons';
import { useId, useState, type ReactNode } from 'react';
import { cellText, columnLabel, dateText, drugNameText, payerText, shortTime } from '../../shared/cells';
import { EmptyMark } from '../../shared/components/EmptyMark';
import { emptyHint, emptyKind } from '../../shared/empty-kind';
import { DetailsDrawer, DetailsHeading } from '../../shared/components/DetailsDrawer';
import { ErrorBoundary } from '../../shared/components/ErrorBoundary';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { VitalMarks } from '../../shared/components/VitalMarks';
import { birthDateWithAge, codeLabel, deceasedOf, deceasedText, genderLabel, patientName, recordNoticeOf } from '../../shared/format';
import { RecordNoticeBadge } from '../../shared/components/RecordNoticeBadge';
import { t } from '../../shared/i18n/t';
import type { Cell } from '../../../contract/cells';
import type { LatestVital } from '../../../contract/patients';
import { vitalKinds, type VitalKind } from '../../../contract/vitals';
import { medicationGroup, prohibitionEnded } from '../../../contract/medication-groups';
import { usePatientDetails, useResetPatientDetails } from './api/get-patient-details';
import { NotesSection } from './NotesSection';
import { encounterText } from './encounter-text';
import { allergyDates, conditionFacts } from './condition-facts';
import { multipleBirthText } from './multiple-birth';
import { useReturnFocus } from './use-return-focus';
import { VitalTrends } from './TrendChart';
import { adultFrom } from '../../../contract/vital-ranges';
import { recordNoticeAdvice } from './record-notice-advice';

const useStyles = makeStyles({
  summary: {
    color: tokens.colorNeutralForeground2,
    padding: '0 24px 12px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    alignSelf: 'stretch',
  },
  notice: { margin: '0 0 6px' },
  body: { paddingTop: '16px' },
  section: { marginBottom: '24px', display: 'flex', flexDirection: 'column', gap: '8px' },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '8px' },
  item: { display: 'flex', flexDirection: 'column', gap: '2px' },
  muted: { color: tokens.colorNeutralForeground3 },
  // Columns size to their content and their words wrap: Fluent's equal fixed columns with unwrapped
  // text let a reading run over its time in a narrow drawer (a phone, or 400% zoom).
  vitals: { tableLayout: 'auto' },
});

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What a part of the record holds when it has data: a list of entries, an object, or a text. */
const fits = { list: (v: unknown) => Array.isArray(v) && v.every(isObject), object: isObject, text: (v: unknown) => typeof v === 'string' };

/**
 * A heading, then the part's data, or "None recorded" / "Not available" in its place; a part
 * that is not what it should be (another server's shape) is "Not available".
 */
function Section<T>({
  id,
  title,
  cell,
  holds,
  children,
}: {
  id: string;
  title: string;
  cell: Cell<T> | undefined;
  holds: keyof typeof fits;
  children: (value: T) => ReactNode;
}) {
  const styles = useStyles();
  // The contract's shape is what should come; what did come is checked before it is shown.
  const sent: unknown = cell;
  const value = isObject(sent) && sent.status === 'ok' ? sent.value : undefined;
  const usable = value !== undefined && fits[holds](value);
  const empty = !usable || (Array.isArray(value) && value.length === 0);
  const placeholder = usable ? { status: 'none' } : value !== undefined ? { status: 'unavailable' } : cell;
  return (
    <section className={styles.section} aria-labelledby={id}>
      <DetailsHeading id={id}>{title}</DetailsHeading>
      {empty ? <Text className={styles.muted}>{cellText('', placeholder).text}</Text> : children(value as T)}
    </section>
  );
}

const line = (...parts: (string | null | undefined | false | 0)[]) => parts.filter(Boolean).join(' · ');

/**
 * Consecutive medications of one group, in the server's order (current first): their status, or
 * "do not give", "proposal", "not taken" when the record says so (contract `medicationGroup`).
 */
function medicationGroupsOf<T extends Parameters<typeof medicationGroup>[0]>(list: T[]): { status: string | null; items: T[] }[] {
  const groups: { status: string | null; items: T[] }[] = [];
  for (const item of list) {
    const status = medicationGroup(item);
    const last = groups.at(-1);
    if (last && last.status === status) last.items.push(item);
    else groups.push({ status, items: [item] });
  }
  return groups;
}

/**
 * One entry of a list: its name, then what else is known in a quieter second line. An entry the
 * EHR qualifies in a way the tab cannot read (contract `qualified`) is marked "check in EHR".
 */
function Entry({ title, detail, qualified }: { title: string; detail?: string; qualified?: unknown }) {
  const styles = useStyles();
  return (
    <li className={styles.item}>
      <span>
        <Text weight="semibold">{title}</Text>
        <VitalMarks shown={{ qualified: qualified === true }} />
      </span>
      {detail && <Caption1 className={styles.muted}>{detail}</Caption1>}
    </li>
  );
}

/**
 * Latest vital signs, each with its time; then the trend of each kind over time. A kind the EHR
 * could not give (contract `vitalUnavailable`) reads "Not available" with its reason, as a list cell does.
 */
function Vitals({ latest, history, birthDate }: { latest: Partial<Record<VitalKind, LatestVital>>; history: unknown; birthDate: string | null }) {
  // One "now" per panel; flags by adult ranges only for readings taken when the patient was old enough for them.
  const [now] = useState(() => Date.now());
  const adultSince = adultFrom(birthDate);
  const styles = useStyles();
  const hintsId = useId();
  const kinds = vitalKinds.filter((k) => isObject(latest[k]));
  const histories: Json = isObject(history) && history.status === 'ok' && isObject(history.value) ? history.value : {};
  return (
    <>
      <Table size="small" aria-label={t('details.vitals')} className={styles.vitals}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('details.vital')}</TableHeaderCell>
            <TableHeaderCell>{t('details.latest')}</TableHeaderCell>
            <TableHeaderCell>{t('details.taken')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {kinds.map((kind) => {
            const reading = latest[kind];
            if (reading && 'unavailable' in reading) {
              // As a list cell says it: "Not available", its icon, and why (an unknown reason: the tab could not read it).
              const why = emptyKind('unavailable', { status: 'unavailable', reason: reading.unavailable as unknown }) ?? 'unreadable';
              const hintId = `${hintsId}-${kind}`;
              return (
                <TableRow key={kind}>
                  <TableCell>{columnLabel(kind)}</TableCell>
                  <TableCell>
                    <EmptyMark status="unavailable" text={t('value.unavailable')} hint={t(emptyHint(why))} hintId={hintId} />
                    <span hidden id={hintId}>
                      {t(emptyHint(why))}
                    </span>
                  </TableCell>
                  <TableCell />
                </TableRow>
              );
            }
            const shown = cellText(kind, { status: 'ok', value: reading }, now, adultSince);
            return (
              <TableRow key={kind}>
                <TableCell>{columnLabel(kind)}</TableCell>
                <TableCell>
                  <Text weight="semibold">{shown.text}</Text>
                  <VitalMarks shown={shown} />
                  {shown.source && <Caption1 className={styles.muted}> · {t('vital.source', { value: shown.source })}</Caption1>}
                </TableCell>
                <TableCell>
                  <Caption1>{shortTime(reading?.time)}</Caption1>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <VitalTrends histories={histories} adultFrom={adultSince} />
    </>
  );
}

/**
 * Everything about one patient, with vital sign trends and the team's notes. `onNoteAdded` is for
 * what else shows the team's notes (the lists' latest note); `onOpenPatient` shows another
 * patient's details in this panel (the record a replaced one names).
 */
export function PatientDetails({
  patientId,
  onClose,
  onNoteAdded,
  onOpenPatient,
}: {
  patientId: string | null;
  onClose: () => void;
  onNoteAdded?: () => void;
  onOpenPatient?: (patientId: string) => void;
}) {
  const styles = useStyles();
  useReturnFocus(Boolean(patientId));
  const details = usePatientDetails(patientId);
  const resetDetails = useResetPatientDetails();
  // Each part is checked where it is shown (Section, Vitals, NotesSection), as the list checks its cells.
  const d = details.data;
  const notice = isObject(d?.patient) ? recordNoticeOf(d.patient.recordNotice) : null;
  return (
    <DetailsDrawer
      open={Boolean(patientId)}
      onClose={onClose}
      title={
        typeof d?.patient?.displayName === 'string'
          ? patientName(d.patient.displayName, typeof d.patient.mrn === 'string' ? d.patient.mrn : null)
          : t('details.title')
      }
      bodyClassName={styles.body}
      summary={
        isObject(d?.patient) && (
          <div className={styles.summary}>
            {deceasedOf(d.patient.deceased) && (
              <Badge appearance="tint" color="subtle" icon={<HeartBrokenRegular />}>
                {deceasedText(deceasedOf(d.patient.deceased)!)}
              </Badge>
            )}
            {notice && (
              <p className={styles.notice}>
                <RecordNoticeBadge notice={notice} /> <Text weight="semibold">{recordNoticeAdvice(notice)}</Text>{' '}
                {/* The record to use (or, for a secondary record, the main one), when it is on the same EHR: opened here, in its place. */}
                {(notice.kind === 'replaced' || notice.kind === 'refer') && notice.replacedById && onOpenPatient && (
                  <Button size="small" onClick={() => onOpenPatient(notice.replacedById!)}>
                    {t('record.openReplacement', { other: notice.replacedByName ?? notice.replacedById })}
                  </Button>
                )}
              </p>
            )}
            <Text>
              {line(
                d.patient.mrn && `${t('column.mrn')} ${d.patient.mrn}`,
                birthDateWithAge(d.patient.birthDate, undefined, deceasedOf(d.patient.deceased)),
                multipleBirthText(d.patient.multipleBirth),
                genderLabel(d.patient.gender),
              )}
            </Text>
          </div>
        )
      }
    >
      {details.isPending && <Spinner label={t('app.loading')} />}
      {details.isError && <ErrorNotice error={details.error} />}
      {/* A record the tab cannot show fails here only, the panel and its Close button stay. */}
      <ErrorBoundary scope="panel" key={patientId} onReset={() => resetDetails(patientId)}>
        {d && (
          <>
            <Section id="details-vitals" title={t('details.vitals')} cell={d.vitals} holds="object">
              {(latest) => <Vitals latest={latest} history={d.vitalHistory} birthDate={d.patient.birthDate} />}
            </Section>
            <Section id="details-conditions" title={t('details.conditions')} cell={d.conditions} holds="list">
              {(list) => (
                <ul className={styles.list}>
                  {list.map((c, i) => (
                    <Entry key={i} title={c.display ?? t('value.notNamed')} qualified={c.qualified} detail={line(...conditionFacts(c))} />
                  ))}
                </ul>
              )}
            </Section>
            <Section id="details-allergies" title={t('details.allergies')} cell={d.allergies} holds="list">
              {(list) => (
                <ul className={styles.list}>
                  {list.map((a, i) => {
                    const reactions = (a.reactions ?? [])
                      .map((r) => [r.manifestations?.join(', '), r.severity && `(${codeLabel(r.severity)})`].filter(Boolean).join(' '))
                      .filter(Boolean);
                    return (
                      <Entry
                        key={i}
                        title={a.noneKnown ? t('value.noKnownAllergies') : (a.substance ?? t('allergy.noSubstance'))}
                        qualified={a.qualified}
                        detail={line(
                          a.intolerance && t('value.intolerance'),
                          reactions.length > 0 && t('details.reaction', { value: reactions.join('; ') }),
                          a.criticality && t('details.criticality', { value: codeLabel(a.criticality) }),
                          codeLabel(a.clinicalStatus),
                          codeLabel(a.verificationStatus),
                          ...allergyDates(a),
                          a.note,
                        )}
                      />
                    );
                  })}
                </ul>
              )}
            </Section>
            <Section id="details-medications" title={t('details.medications')} cell={d.medications} holds="list">
              {(list) => (
                // Grouped by status as the server sorts them, current first; each group headed by its status.
                <>
                  {medicationGroupsOf(list).map(({ status, items }, g) => (
                    <div key={g}>
                      <Text weight="semibold">{status ? codeLabel(status) : t('details.statusUnknown')}</Text>
                      <ul className={styles.list}>
                        {items.map((m, i) => (
                          <Entry
                            key={i}
                            title={drugNameText(m)}
                            qualified={m.qualified}
                            detail={line(
                              // An ended "do not give" order sits in its status group: it still reads as one.
                              prohibitionEnded(m) && codeLabel('do-not-perform'),
                              m.partOf && t('details.partOf', { value: m.partOf }),
                              m.setting && codeLabel(m.setting),
                              m.dosage,
                              // A statement's source (informationSource) told the EHR of the drug; an order's prescribed it.
                              m.prescriber && t(m.kind === 'statement' ? 'details.reportedBy' : 'details.prescriber', { value: m.prescriber }),
                              dateText(m.date),
                            )}
                          />
                        ))}
                      </ul>
                    </div>
                  ))}
                </>
              )}
            </Section>
            <Section id="details-encounters" title={t('details.encounters')} cell={d.encounters} holds="list">
              {(list) => (
                <ul className={styles.list}>
                  {list.map((e, i) => (
                    <Entry key={i} {...encounterText(e)} qualified={e.qualified} />
                  ))}
                </ul>
              )}
            </Section>
            <Section id="details-coverage" title={t('details.coverage')} cell={d.coverage} holds="list">
              {(list) => (
                <ul className={styles.list}>
                  {list.map((c, i) => (
                    <Entry
                      key={i}
                      title={line(payerText(c), c.plan)}
                      qualified={c.qualified}
                      detail={line(
                        c.group,
                        c.subscriberId,
                        c.periodStart && `${dateText(c.periodStart)} – ${dateText(c.periodEnd)}`,
                        codeLabel(c.status),
                      )}
                    />
                  ))}
                </ul>
              )}
            </Section>
            <Section id="details-care-provider" title={t('details.careProvider')} cell={d.careProvider} holds="text">
              {(v) => <Text>{v}</Text>}
            </Section>
            <NotesSection patientId={patientId} notes={d.notes} onNoteAdded={onNoteAdded} />
          </>
        )}
      </ErrorBoundary>
    </DetailsDrawer>
  );
}
