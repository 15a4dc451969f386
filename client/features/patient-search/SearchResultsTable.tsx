import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import type { PatientSearchAnswer } from '../../../contract/patients';
import { Checkbox } from '../../shared/components/fluent-on-demand';
import { RecordNoticeBadge } from '../../shared/components/RecordNoticeBadge';
import { birthDateWithAge, deceasedOf, genderLabel, patientName, recordNoticeOf } from '../../shared/format';
import { t } from '../../shared/i18n/t';

// The search's results as a table: fetched when the search pane first shows (see PatientSearch.tsx),
// not with the tab, which has no results to show before anyone searches.

const useStyles = makeStyles({
  // Long values (an OID-style MRN, an unbroken name, a badge) can make the table wider than its card:
  // then it scrolls sideways inside the card, not over its edge or the page's.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  // Columns size to their content so names keep the room the short columns do not need.
  table: { tableLayout: 'auto' },
  nowrap: { whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  nameBadge: { marginLeft: '6px' },
});

/**
 * The patients a search found, each with a checkbox to choose it for the open list: ticked and
 * disabled once on it (`onList`, the open list's patients), disabled for all while no list is open (null).
 */
export function SearchResultsTable({
  patients,
  onList,
  selected,
  onToggle,
}: {
  patients: PatientSearchAnswer['patients'];
  onList: Set<string> | null;
  selected: Set<string>;
  onToggle: (patientId: string, on: boolean) => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.scroller}>
      <Table aria-label={t('search.title')} size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '44px' }}>
              <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>{t('column.actions')}</span>
            </TableHeaderCell>
            <TableHeaderCell>{t('column.name')}</TableHeaderCell>
            <TableHeaderCell className={styles.nowrap}>{t('column.mrn')}</TableHeaderCell>
            <TableHeaderCell>{t('column.birthDate')}</TableHeaderCell>
            <TableHeaderCell>{t('column.gender')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {patients.map((p) => {
            const notice = recordNoticeOf(p.recordNotice);
            return (
              <TableRow key={p.id}>
                <TableCell>
                  {onList?.has(p.id) ? (
                    <Checkbox checked disabled aria-label={t('search.added')} />
                  ) : (
                    <Checkbox
                      checked={selected.has(p.id)}
                      onChange={(_, d) => onToggle(p.id, Boolean(d.checked))}
                      aria-label={t('search.select', { name: patientName(p.displayName, p.mrn) })}
                      disabled={!onList}
                    />
                  )}
                </TableCell>
                <TableCell>
                  {patientName(p.displayName, p.mrn)}
                  {notice && <RecordNoticeBadge notice={notice} className={styles.nameBadge} />}
                </TableCell>
                <TableCell className={p.mrn ? styles.nowrap : styles.muted}>{p.mrn ?? t('value.none')}</TableCell>
                <TableCell>{birthDateWithAge(p.birthDate, undefined, deceasedOf(p.deceased))}</TableCell>
                <TableCell className={styles.nowrap}>{genderLabel(p.gender)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
