import { Button, MessageBar, MessageBarBody, Spinner, Text, Title3, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  DocumentSearchRegular,
  PanelLeftContractRegular,
  PanelLeftExpandRegular,
  PeopleTeamRegular,
  PersonSwapRegular,
  SettingsRegular,
} from '@fluentui/react-icons';
import { useId, useState, type ReactNode } from 'react';
import { useCanReadAudit } from '../features/audit/api/get-me';
import { useList, useRefreshListViews } from '../features/lists/api/get-list';
import { useLists } from '../features/lists/api/get-lists';
import { useAddPatients } from '../features/lists/api/list-patients';
import { listPicker } from '../features/lists/focus-after';
import { ListsPanel } from '../features/lists/ListsPanel';
import { PatientSearch } from '../features/patient-search/PatientSearch';
import { useConnection } from '../features/setup/api/connection';
import { ErrorBoundary } from '../shared/components/ErrorBoundary';
import { ErrorNotice, HiddenPart } from '../shared/components/ErrorNotice';
import { OnDemandSlot } from '../shared/components/OnDemand';
import { t } from '../shared/i18n/t';
import { useSession } from '../shared/session';
import { AuditPanel, ManualPatientDetails, ManualPatients, PatientDetails, PatientNotes, SetupPanel, useOnceShown } from './on-demand-screens';
import { useSearchPaneOpen } from './search-pane';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: '12px',
    flexWrap: 'wrap',
    padding: '8px 24px',
    '@media (max-width: 600px)': { padding: '8px 12px' },
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow2,
  },
  brand: { display: 'flex', alignItems: 'baseline', gap: '16px', flexWrap: 'wrap' },
  where: { display: 'inline-flex', alignItems: 'center', gap: '6px', color: tokens.colorNeutralForeground2 },
  headerActions: { display: 'flex', gap: '4px', alignItems: 'center', flexWrap: 'wrap', minWidth: 0 },
  main: {
    padding: '16px 24px',
    backgroundColor: tokens.colorNeutralBackground2,
    minHeight: 'calc(100vh - 60px)',
    boxSizing: 'border-box',
    // On a phone or in a narrow Teams pane the list gets the width, not the margins.
    // Disjoint ranges: which of two overlapping media rules wins would depend on the order the styles were inserted.
    '@media (min-width: 481px) and (max-width: 800px)': { padding: '12px' },
    '@media (max-width: 480px)': { padding: '8px' },
  },
  workspace: { display: 'flex', flexDirection: 'column', gap: '8px', minWidth: 0 },
  paneBar: { display: 'flex', justifyContent: 'flex-start' },
  // Search in a column of its own beside the lists on wide screens; one above the other on narrow ones.
  columns: {
    display: 'grid',
    gridTemplateColumns: 'minmax(380px, 520px) minmax(0, 1fr)',
    gap: '16px',
    alignItems: 'start',
    '@media (max-width: 1000px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  // The search pane closed: the lists take the whole width.
  listsOnly: { gridTemplateColumns: 'minmax(0, 1fr)' },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '16px 20px',
    minWidth: 0,
    '@media (min-width: 481px) and (max-width: 800px)': { padding: '12px' },
    '@media (max-width: 480px)': { padding: '8px' },
  },
});

/**
 * The tab for one team: first-run setup, then search beside the team's lists. `teamSwitcher`
 * (the personal tab's) stands in the header in place of the team's name.
 */
export function TeamTab({ onSwitchUser, teamSwitcher }: { onSwitchUser?: () => void; teamSwitcher?: ReactNode }) {
  const styles = useStyles();
  const session = useSession();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [auditOpen, setAuditOpen] = useState(false);
  // The audit panel is fetched when first opened, and stays mounted after that (so it can animate closed).
  const auditShown = useOnceShown(auditOpen);
  const canReadAudit = useCanReadAudit();
  const connection = useConnection();
  const current = connection.data;
  const showSetup = current && session.isOwner && (current.mode === 'unset' || settingsOpen);

  return (
    <>
      <header className={styles.header}>
        <div className={styles.brand}>
          <Title3 as="h1">{t('app.title')}</Title3>
          <Text className={styles.where}>
            <PeopleTeamRegular aria-hidden />
            {teamSwitcher ?? [session.teamName, session.tenantName].filter(Boolean).join(' · ')}
          </Text>
        </div>
        <div className={styles.headerActions}>
          {session.userName && <Text className={styles.where}>{session.userName}</Text>}
          {session.isOwner && current && current.mode !== 'unset' && !settingsOpen && (
            <Button appearance="subtle" icon={<SettingsRegular />} onClick={() => setSettingsOpen(true)}>
              {t('setup.change')}
            </Button>
          )}
          {canReadAudit && (
            <Button appearance="subtle" icon={<DocumentSearchRegular />} onClick={() => setAuditOpen(true)}>
              {t('audit.open')}
            </Button>
          )}
          {onSwitchUser && (
            <Button appearance="subtle" icon={<PersonSwapRegular />} onClick={onSwitchUser}>
              {t('signin.switch')}
            </Button>
          )}
        </div>
      </header>
      <main className={styles.main}>
        {connection.isPending && <Spinner label={t('app.loading')} />}
        {connection.isError && <ErrorNotice error={connection.error} />}
        {current && showSetup && (
          <div className={styles.card} style={{ maxWidth: '720px' }}>
            <ErrorBoundary scope="panel">
              <OnDemandSlot>
                <SetupPanel current={current} onSaved={() => setSettingsOpen(true)} onDone={() => setSettingsOpen(false)} />
              </OnDemandSlot>
            </ErrorBoundary>
          </div>
        )}
        {current && !showSetup && current.mode === 'unset' && (
          <MessageBar intent="info" role="status">
            <MessageBarBody>{t('setup.askOwner')}</MessageBarBody>
          </MessageBar>
        )}
        {current && !showSetup && current.mode !== 'unset' && <Workspace mode={current.mode} />}
      </main>
      {canReadAudit && auditShown && (
        <ErrorBoundary scope="panel">
          <OnDemandSlot>
            <AuditPanel open={auditOpen} onClose={() => setAuditOpen(false)} />
          </OnDemandSlot>
        </ErrorBoundary>
      )}
    </>
  );
}

function Workspace({ mode }: { mode: 'ehr' | 'manual' }) {
  const styles = useStyles();
  const lists = useLists();
  const [chosen, setChosen] = useState<string | null>(null);
  const [openPatient, setOpenPatient] = useState<string | null>(null);
  // The details are fetched when a patient is first opened.
  const detailsShown = useOnceShown(openPatient !== null);
  const listId = chosen || (lists.data?.find((l) => l.isDefault)?.id ?? lists.data?.[0]?.id ?? null);
  const list = useList(listId);
  const add = useAddPatients(listId);
  // Notes and Manual patients show in the lists too: after a change there, the lists are read again.
  const refreshListViews = useRefreshListViews();
  const target = list.data
    ? {
        listName: list.data.name,
        // The promise of the add: the search and the roster say "Added" only once it succeeded, and show its failure beside their button.
        onAdd: (ids: string[]) => add.mutateAsync(ids),
        isAdding: add.isPending,
        onList: new Set(list.data.rows.map((r) => r.patientId)),
      }
    : null;
  // The search pane can be closed to give the list the width; hidden, not unmounted, so a search in progress is kept.
  const [paneOpen, setPaneOpen] = useSearchPaneOpen();
  const paneId = useId();
  const toggle =
    mode === 'ehr' ? t(paneOpen ? 'layout.hideSearch' : 'layout.showSearch') : t(paneOpen ? 'layout.hidePatients' : 'layout.showPatients');
  return (
    <div className={styles.workspace}>
      <div className={styles.paneBar}>
        <Button
          appearance="subtle"
          icon={paneOpen ? <PanelLeftContractRegular /> : <PanelLeftExpandRegular />}
          aria-expanded={paneOpen}
          aria-controls={paneId}
          onClick={() => setPaneOpen(!paneOpen)}
        >
          {toggle}
        </Button>
      </div>
      <div className={mergeClasses(styles.columns, !paneOpen && styles.listsOnly)}>
        {/* Each part fails on its own: an error in one shows there, with Try again, and the others keep working. */}
        <div className={styles.card} id={paneId} hidden={!paneOpen}>
          {/* Its notices, out of sight while it is closed, leave the one shown to the lists (ErrorNotice). */}
          <HiddenPart.Provider value={!paneOpen}>
            <ErrorBoundary scope="panel">
              {mode === 'ehr' ? (
                <PatientSearch target={target} />
              ) : (
                <OnDemandSlot>
                  <ManualPatients
                    target={target}
                    onPatientSaved={refreshListViews}
                    notesFor={(id) => (
                      <OnDemandSlot>
                        <PatientNotes patientId={id} onNoteAdded={refreshListViews} />
                      </OnDemandSlot>
                    )}
                  />
                </OnDemandSlot>
              )}
            </ErrorBoundary>
          </HiddenPart.Provider>
        </div>
        <div className={styles.card}>
          <ErrorBoundary scope="panel" title={t('lists.title')}>
            <ListsPanel listId={listId} onSelect={setChosen} onOpenPatient={setOpenPatient} />
          </ErrorBoundary>
        </div>
      </div>
      {detailsShown && (
        <ErrorBoundary scope="panel" key={openPatient}>
          <OnDemandSlot>
            {/* A hand-entered patient's details come from the team itself, with the same notes section. */}
            {mode === 'manual' ? (
              <ManualPatientDetails
                patientId={openPatient}
                onClose={() => setOpenPatient(null)}
                onChanged={refreshListViews}
                focusAfterDischarge={listPicker}
                notes={
                  // A slot of its own: the notes' chunk arriving must not remount the open drawer (focus would fall out).
                  openPatient && (
                    <OnDemandSlot>
                      <PatientNotes patientId={openPatient} onNoteAdded={refreshListViews} />
                    </OnDemandSlot>
                  )
                }
              />
            ) : (
              <PatientDetails
                patientId={openPatient}
                onClose={() => setOpenPatient(null)}
                onNoteAdded={refreshListViews}
                onOpenPatient={setOpenPatient}
              />
            )}
          </OnDemandSlot>
        </ErrorBoundary>
      )}
    </div>
  );
}
