import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Field,
  Input,
  OverlayDrawer,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { dateTime } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { useDebounced } from '../../shared/use-debounced';
import { auditOperations } from '../../../contract/audit-operations';
import { openDownload } from '../../shared/teams/open-download';
import { auditExportLink, useAuditEvents } from './api/get-audit';

const useStyles = makeStyles({
  filters: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))', gap: '8px', marginBottom: '12px' },
  // Grid items and inputs otherwise keep their intrinsic width (a date and time field's is wide) and overlap the next filter.
  filter: { minWidth: 0 },
  input: { width: '100%', minWidth: 0 },
  // Columns as wide as what they hold, so an operation's name is not cut by the next column; ids break anywhere to fit a narrow pane.
  table: { tableLayout: 'auto' },
  cell: { overflowWrap: 'anywhere' },
});

interface Filters {
  from: string;
  to: string;
  user: string;
  patient: string;
  team: string;
  operation: string;
}

function auditParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.from) params.set('from', new Date(filters.from).toISOString());
  // The fields give minutes and the server's `to` is inclusive: "to 10:00" takes in the whole of 10:00.
  if (filters.to) params.set('to', new Date(new Date(filters.to).getTime() + 59_999).toISOString());
  for (const key of ['user', 'patient', 'team', 'operation'] as const) if (filters[key].trim()) params.set(key, filters[key].trim());
  return params;
}

/** The tenant's audit trail with filters and CSV export, for audit readers. */
export function AuditPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const { api } = useSession();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', user: '', patient: '', team: '', operation: '' });
  // The screenful is asked for once typing pauses; an export takes the filters as they read now.
  const events = useAuditEvents(auditParams(useDebounced(filters, 400)), open);
  const set = (key: keyof Filters) => (_: unknown, d: { value: string }) => setFilters((f) => ({ ...f, [key]: d.value }));
  const [exportError, setExportError] = useState<unknown>(null);
  const downloadCsv = async () => {
    setExportError(null);
    try {
      await openDownload(await auditExportLink(api, auditParams(filters)));
    } catch (error) {
      setExportError(error);
    }
  };
  return (
    <OverlayDrawer open={open} onOpenChange={(_, s) => !s.open && onClose()} position="end" size="full">
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" onClick={onClose}>
              {t('audit.close')}
            </Button>
          }
        >
          {t('audit.title')}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <div className={styles.filters}>
          <Field label={t('audit.from')} className={styles.filter}>
            <Input className={styles.input} type="datetime-local" value={filters.from} onChange={set('from')} />
          </Field>
          <Field label={t('audit.to')} className={styles.filter}>
            <Input className={styles.input} type="datetime-local" value={filters.to} onChange={set('to')} />
          </Field>
          <Field label={t('audit.user')} className={styles.filter}>
            <Input className={styles.input} value={filters.user} onChange={set('user')} />
          </Field>
          <Field label={t('audit.patient')} className={styles.filter}>
            <Input className={styles.input} value={filters.patient} onChange={set('patient')} />
          </Field>
          <Field label={t('audit.team')} className={styles.filter}>
            <Input className={styles.input} value={filters.team} onChange={set('team')} />
          </Field>
          <Field label={t('audit.operation')} className={styles.filter}>
            <Select className={styles.input} value={filters.operation} onChange={set('operation')}>
              <option value="">{t('audit.anyOperation')}</option>
              {auditOperations.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Button onClick={() => void downloadCsv()}>{t('audit.csv')}</Button>
        {exportError !== null && <ErrorNotice error={exportError} />}
        {events.isPending && <Spinner label={t('app.loading')} />}
        {events.isError && <ErrorNotice error={events.error} />}
        {events.data?.events.length === 0 && <Text role="status">{t('audit.empty')}</Text>}
        {events.data?.more && (
          <Text role="status" block>
            {t('audit.more', { count: events.data.events.length })}
          </Text>
        )}
        {events.data && events.data.events.length > 0 && (
          <Table aria-label={t('audit.title')} size="small" className={styles.table}>
            <TableHeader>
              <TableRow>
                {(['audit.time', 'audit.operation', 'audit.outcome', 'audit.user', 'audit.patient', 'audit.team'] as const).map((k) => (
                  <TableHeaderCell key={k}>{t(k)}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.data.events.map((e) => (
                <TableRow key={`${e.requestId}-${e.operation}-${e.patientId}`}>
                  <TableCell className={styles.cell}>{dateTime(e.time)}</TableCell>
                  <TableCell className={styles.cell}>{e.operation}</TableCell>
                  <TableCell className={styles.cell}>
                    {t(e.outcome === 'success' ? 'audit.outcome.success' : 'audit.outcome.failure')} ({e.status})
                  </TableCell>
                  <TableCell className={styles.cell}>{e.userId}</TableCell>
                  <TableCell className={styles.cell}>{e.patientId ?? ''}</TableCell>
                  <TableCell className={styles.cell}>{e.teamId ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}
