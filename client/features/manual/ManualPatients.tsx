import {
  Button,
  Checkbox,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  makeStyles,
  mergeClasses,
} from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { OnDemandSlot, onDemand } from '../../shared/components/OnDemand';
import { birthDateWithAge, genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { fieldValue } from '../../../contract/manual';
import { useManualPatients } from './api/manual-patients';
import { useSchema } from './api/schema';
import { useTeamMembers } from './api/team-members';
import { FieldValueView } from './field-values';
import { DischargedPatients } from './DischargedPatients';
import { PatientForm } from './PatientForm';
import { useRosterTableStyles } from './roster-table-styles';
import { AddFailed } from '../../shared/components/AddFailed';
import { addToList } from '../../shared/add-to-list';

// Owners' tools, fetched when an owner opens Manual mode: members never download them.
const SchemaEditor = onDemand(() => import('./SchemaEditor').then((m) => m.SchemaEditor));
const ImportWizard = onDemand(() => import('./ImportWizard').then((m) => m.ImportWizard));

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: '8px', minWidth: 0 },
  rowActions: { display: 'flex', alignItems: 'center', gap: '4px' },
});

export interface ManualTarget {
  listName: string;
  /** Settles once the patients are on the list; rejects when they could not be added. */
  onAdd: (patientIds: string[]) => Promise<unknown>;
  onList: Set<string>;
}

/**
 * Manual mode: the team's own patients, its fields (owners), and adding patients to the open list.
 * `onPatientSaved` is for what else shows the patients (the lists); `notesFor` gives the team's
 * notes on a patient, for the details of a discharged one.
 */
export function ManualPatients({
  target,
  onPatientSaved,
  notesFor,
}: {
  target: ManualTarget | null;
  onPatientSaved?: () => void;
  notesFor?: (patientId: string) => ReactNode;
}) {
  const styles = useStyles();
  const roster = useRosterTableStyles();
  const { isOwner } = useSession();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState(false);
  const [failed, setFailed] = useState<{ count: number; list: string; error: unknown } | null>(null);
  // Admitted patients, or the discharged ones (read-only, with who and when).
  const [view, setView] = useState<'admitted' | 'discharged'>('admitted');
  const schema = useSchema();
  // Who is in the team, to tell a person who left; asked only when the team has a person field.
  const members = useTeamMembers(Boolean(schema.data?.fields.some((f) => f.type === 'person')));
  const patients = useManualPatients();
  if (schema.isPending || patients.isPending) return <Spinner label={t('app.loading')} />;
  if (schema.isError) return <ErrorNotice error={schema.error} />;
  if (patients.isError) return <ErrorNotice error={patients.error} />;
  const chosen = [...selected].filter((id) => !target?.onList.has(id));
  return (
    <div className={styles.section}>
      {isOwner && (
        <OnDemandSlot>
          <SchemaEditor schema={schema.data} />
        </OnDemandSlot>
      )}
      <section className={styles.section} aria-labelledby="manual-title">
        <Title3 as="h2" id="manual-title">
          {t('manual.title')}
        </Title3>
        <div className={styles.actions}>
          <PatientForm schema={schema.data} trigger={<Button>{t('manual.newPatient')}</Button>} onSaved={onPatientSaved} />
          {isOwner && (
            <OnDemandSlot>
              <ImportWizard schema={schema.data} onImported={onPatientSaved} />
            </OnDemandSlot>
          )}
          {target && (
            <Button
              appearance="primary"
              disabled={chosen.length === 0 || adding}
              onClick={async () => {
                setFailed(null);
                setAdding(true);
                // The choice is cleared only once the server has the patients on the list; a failure keeps it.
                const outcome = await addToList(target.onAdd, chosen, target.listName);
                setAdding(false);
                if (outcome.ok) setSelected(new Set());
                else setFailed(outcome);
              }}
            >
              {t('search.addSelected', { count: chosen.length, list: target.listName })}
            </Button>
          )}
          {target && failed && <AddFailed failure={failed} />}
        </div>
        <TabList
          aria-label={t('manual.viewTabs')}
          selectedValue={view}
          onTabSelect={(_, d) => setView(d.value === 'discharged' ? 'discharged' : 'admitted')}
        >
          <Tab value="admitted">{t('manualDetails.admitted')}</Tab>
          <Tab value="discharged" data-manual-view="discharged">
            {t('manualDetails.discharged')}
          </Tab>
        </TabList>
        {view === 'discharged' ? (
          <DischargedPatients schema={schema.data} notesFor={notesFor} />
        ) : patients.data.patients.length === 0 ? (
          <Text role="status">{t('manual.none')}</Text>
        ) : (
          <div className={roster.scroller} data-manual-scroller="">
            <Table aria-label={t('manual.title')} size="small" className={roster.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={mergeClasses(roster.cell, roster.frozen)}>{t('column.name')}</TableHeaderCell>
                  <TableHeaderCell className={roster.cell}>{t('column.actions')}</TableHeaderCell>
                  <TableHeaderCell className={roster.cell}>{t('column.mrn')}</TableHeaderCell>
                  <TableHeaderCell className={roster.cell}>{t('column.birthDate')}</TableHeaderCell>
                  <TableHeaderCell className={roster.cell}>{t('column.gender')}</TableHeaderCell>
                  <TableHeaderCell className={roster.cell}>{t('manual.room')}</TableHeaderCell>
                  {schema.data.fields.map((f) => (
                    <TableHeaderCell key={f.id} className={roster.cell}>
                      {f.label}
                    </TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {patients.data.patients.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell className={mergeClasses(roster.cell, roster.frozen)}>{p.name}</TableCell>
                    <TableCell>
                      <span className={styles.rowActions}>
                        <Checkbox
                          checked={selected.has(p.id) || Boolean(target?.onList.has(p.id))}
                          disabled={!target || target.onList.has(p.id)}
                          aria-label={t('search.select', { name: p.name })}
                          onChange={(_, d) =>
                            setSelected((s) => {
                              const n = new Set(s);
                              if (d.checked) n.add(p.id);
                              else n.delete(p.id);
                              return n;
                            })
                          }
                        />
                        <PatientForm
                          schema={schema.data}
                          patient={p}
                          onSaved={onPatientSaved}
                          trigger={
                            <Button size="small" aria-label={t('manual.editPatient', { name: p.name })}>
                              ✎
                            </Button>
                          }
                        />
                      </span>
                    </TableCell>
                    <TableCell className={roster.cell}>{p.mrn ?? t('value.none')}</TableCell>
                    <TableCell className={roster.cell}>{birthDateWithAge(p.birthDate)}</TableCell>
                    <TableCell className={roster.cell}>{genderLabel(p.gender)}</TableCell>
                    <TableCell className={roster.cell}>{p.room ?? t('value.none')}</TableCell>
                    {schema.data.fields.map((f) => (
                      <TableCell key={f.id} className={roster.cell}>
                        <FieldValueView field={f} value={fieldValue(p.values, f.id)} members={members.data?.members} />
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
    </div>
  );
}
