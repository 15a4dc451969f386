import { Button, Spinner, Text, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { AuditPanel, useCanReadAudit } from '../features/audit/AuditPanel';
import { ListsPanel } from '../features/lists/ListsPanel';
import { ManualPatients } from '../features/manual/ManualPatients';
import { PatientDetails } from '../features/patient-details/PatientDetails';
import { PatientSearch } from '../features/patient-search/PatientSearch';
import { SetupPanel } from '../features/setup/SetupPanel';
import { useAddPatients, useList, useLists } from '../shared/api/lists';
import type { Connection } from '../shared/api/types';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { t } from '../shared/i18n/t';
import { useSession } from '../shared/session';

const useStyles = makeStyles({
  header: {
    display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap',
    padding: '12px 24px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1,
  },
  headerActions: { display: 'flex', gap: '8px', alignItems: 'center' },
  main: { padding: '16px 24px' },
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: '32px', alignItems: 'start' },
});

/** The tab for one team: first-run setup, then search beside the team's lists. */
export function TeamTab({ onSwitchUser }: { onSwitchUser?: () => void }) {
  const styles = useStyles();
  const session = useSession();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [auditOpen, setAuditOpen] = useState(false);
  const canReadAudit = useCanReadAudit();
  const connection = useQuery({
    queryKey: ['connection', session.teamId],
    queryFn: ({ signal }) => session.api<Connection>(`/api/teams/${session.teamId}/connection`, { signal }),
  });
  const current = connection.data;
  const showSetup = current && session.isOwner && (current.mode === 'unset' || settingsOpen);

  return (
    <>
      <header className={styles.header}>
        <div>
          <Title1 as="h1">{t('app.title')}</Title1>
          <Text block>{[session.userName, session.teamName, session.tenantName].filter(Boolean).join(' · ')}</Text>
        </div>
        <div className={styles.headerActions}>
          {session.isOwner && current && current.mode !== 'unset' && !settingsOpen && (
            <Button onClick={() => setSettingsOpen(true)}>{t('setup.change')}</Button>
          )}
          {canReadAudit && <Button onClick={() => setAuditOpen(true)}>{t('audit.open')}</Button>}
          {onSwitchUser && <Button appearance="subtle" onClick={onSwitchUser}>{t('signin.switch')}</Button>}
        </div>
      </header>
      <main className={styles.main}>
        {connection.isPending && <Spinner label={t('app.loading')} />}
        {connection.isError && <ErrorNotice error={connection.error} />}
        {current && showSetup && <SetupPanel current={current} onSaved={() => setSettingsOpen(true)} onDone={() => setSettingsOpen(false)} />}
        {current && !showSetup && current.mode === 'unset' && <Text role="status">{t('setup.askOwner')}</Text>}
        {current && !showSetup && current.mode !== 'unset' && <Workspace mode={current.mode} />}
      </main>
      {canReadAudit && <AuditPanel open={auditOpen} onClose={() => setAuditOpen(false)} />}
    </>
  );
}

function Workspace({ mode }: { mode: 'ehr' | 'manual' }) {
  const styles = useStyles();
  const lists = useLists();
  const [chosen, setChosen] = useState<string | null>(null);
  const [openPatient, setOpenPatient] = useState<string | null>(null);
  const listId = chosen || (lists.data?.find((l) => l.isDefault)?.id ?? lists.data?.[0]?.id ?? null);
  const list = useList(listId);
  const add = useAddPatients(listId);
  const target = list.data
    ? { listName: list.data.name, onAdd: (ids: string[]) => add.mutate(ids), isAdding: add.isPending, onList: new Set(list.data.rows.map((r) => r.patientId)) }
    : null;
  return (
    <div className={styles.columns}>
      <div>
        {mode === 'ehr' ? <PatientSearch target={target} /> : <ManualPatients target={target} />}
        {add.isError && <ErrorNotice error={add.error} />}
      </div>
      <ListsPanel listId={listId} onSelect={setChosen} onOpenPatient={setOpenPatient} />
      <PatientDetails patientId={openPatient} onClose={() => setOpenPatient(null)} />
    </div>
  );
}
