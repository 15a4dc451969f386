import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular, HeartBrokenRegular, SearchRegular } from '@fluentui/react-icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useMemo, useRef, useState, type CSSProperties } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { useMovePatient, useRemovePatient } from './api/list-patients';
import type { ListRow, ListSummary, ListView } from './api/read-list-answers';
import type { Cell } from '../../../contract/cells';
import { showCell, sortValue, type ShownCell } from '../../shared/cells';
import { adultFrom } from '../../../contract/vital-ranges';
import { fieldOf, fieldSortValue, listColumnLabel, showFieldCell } from '../../shared/field-cells';
import type { ListField } from '../../shared/list-fields';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { RecordNoticeBadge } from '../../shared/components/RecordNoticeBadge';
import { birthDateWithAge, deceasedText, genderLabel, patientName } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { ColumnsDialog, ListAnnouncer, ListChangeNotice, ListLimitNotice, RemoveUnavailable } from './dialogs-on-demand';
import { ListFreshness } from './ListFreshness';
import { EmptyHints, ListCell } from './ListCell';
import { columnMaxWidth, isSortableColumn, type EmptyKind } from './list-layout';
import { MoveToList } from './MoveToList';
import { RowActions } from './RowActions';
import { unavailableName } from './unavailable-name';
import { folded, sortKeyOrder, type SortKey } from './row-order';
import { useTeamMode } from './api/team-mode';
import type { ConnectionMode } from '../../../contract/connection';

// The open list's patients as a virtual table: fetched as the lists first render, together with
// the list's data (see ListsPanel.tsx), not with the tab; the virtualizer and the cells' marks are
// most of its weight.

const useStyles = makeStyles({
  bar: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  scroll: {
    overflowX: 'auto',
    maxWidth: '100%',
    // Sideways scrolling stays in the table: it never hands on to the page or to the browser's back gesture.
    overscrollBehaviorX: 'contain',
    maxHeight: '70vh',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  // Columns size to their content (Fluent's default is equal fixed widths, which crushes a wide list).
  table: { tableLayout: 'auto', minWidth: '100%', width: 'max-content' },
  // Above the frozen name cells of the body, which scroll up under it.
  head: { position: 'sticky', top: 0, zIndex: 2, backgroundColor: tokens.colorNeutralBackground1 },
  cell: {
    whiteSpace: 'nowrap',
    verticalAlign: 'middle',
    '@media (max-width: 480px)': { paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  },
  // The name column stays at the left edge while the table scrolls sideways: opaque, with an edge the other columns pass under.
  frozen: {
    position: 'sticky',
    left: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: `inset -1px 0 0 ${tokens.colorNeutralStroke1}, 4px 0 4px -4px ${tokens.colorNeutralShadowAmbient}`,
  },
  // A long name wraps rather than pushing the other columns out of a narrow pane.
  // The badges (Deceased, a record notice) wrap onto a line of their own rather than over the name.
  name: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: '6px',
    rowGap: '2px',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
    maxWidth: '220px',
    '@media (max-width: 480px)': { maxWidth: '104px' },
  },
  headCell: { '@media (max-width: 480px)': { paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS } },
  // On a phone a long heading wraps within the column's narrow cap instead of widening it.
  headText: { display: 'block', '@media (max-width: 480px)': { whiteSpace: 'normal', maxWidth: '104px' } },
  muted: { color: tokens.colorNeutralForeground3 },
  // A badge as tall as its text, wrapping within the name cell, never wider than it.
  nameBadge: { maxWidth: '100%', height: 'auto', minHeight: '20px', whiteSpace: 'normal', overflowWrap: 'anywhere' },
});

/** The columns every row carries itself (the server sends no cell for them). */
const isSummaryColumn = (column: string) => column === 'name' || column === 'mrn' || column === 'birthDate' || column === 'gender';

function summaryCell(column: string, row: ListRow): Cell<string> {
  // A row the EHR could not give carries its id only.
  if (!row.available) return { status: 'unavailable', reason: 'failed' };
  const value = column === 'mrn' ? row.mrn : column === 'birthDate' ? row.birthDate : row.gender;
  return value ? { status: 'ok', value } : { status: 'none' };
}

/**
 * A cell of a row as shown: the summary columns from the row, a team field's by its type
 * (`fields`, Manual mode), the others from its cells (checked in showCell).
 */
function display(column: string, row: ListRow, fields?: readonly ListField[], mode?: ConnectionMode): ShownCell {
  if (column === 'name') {
    if (!row.available) return { status: 'ok', text: unavailableName(row, mode) };
    // A deceased patient is marked on the name itself (icon and text), so no row reads as a living patient.
    return { status: 'ok', text: patientName(row.displayName, row.mrn), detail: row.deceased ? deceasedText(row.deceased) : undefined };
  }
  const field = fieldOf(column, fields);
  if (field) return row.available ? showFieldCell(field, row.cells[column]) : showCell(column, row.cells[column]);
  // Vital signs are flagged by adult ranges, for readings taken when the patient was old enough for them.
  if (!isSummaryColumn(column)) return showCell(column, row.cells[column], undefined, adultFrom(row.birthDate));
  if (column === 'birthDate' && row.available && row.deceased)
    return { status: 'ok', text: birthDateWithAge(row.birthDate, undefined, row.deceased) };
  const cell = summaryCell(column, row);
  if (cell.status !== 'ok') return showCell(column, cell);
  const text = column === 'birthDate' ? birthDateWithAge(cell.value) : column === 'gender' ? genderLabel(cell.value) : String(cell.value);
  return { status: 'ok', text };
}

/** The cell as the server sent it (or as the row stands for a summary column), for the reason an empty one carries. */
const sentCell = (column: string, row: ListRow): unknown => (isSummaryColumn(column) ? summaryCell(column, row) : row.cells[column]);

function sortKey(column: string, row: ListRow, fields?: readonly ListField[]): SortKey {
  // Family name, then given names (the server's sortName); an unnamed patient sorts last.
  if (column === 'name') return (row.sortName ?? row.displayName) || null;
  if (column === 'mrn' || column === 'birthDate' || column === 'gender') return row[column] ?? null;
  const field = fieldOf(column, fields);
  return field ? fieldSortValue(field, row.cells[column]) : sortValue(column, row.cells[column]);
}

/**
 * Keeps the control that just got focus fully beside the frozen name column (WCAG 2.4.11): after
 * the browser has scrolled it into view (at the box's left edge, under the frozen cell, on
 * Shift+Tab), scrolls the box back by what the frozen cell of its row still covers.
 */
function showBesideFrozen(box: HTMLElement, target: HTMLElement) {
  requestAnimationFrame(() => {
    if (!target.isConnected || document.activeElement !== target) return;
    const frozen = target.closest('tr')?.querySelector<HTMLElement>('[data-frozen]');
    if (!frozen || frozen.contains(target)) return;
    const covered = frozen.getBoundingClientRect().right - target.getBoundingClientRect().left;
    if (covered > 0) box.scrollLeft -= Math.ceil(covered) + 4;
  });
}

/** The open list's patients: filter and sort them, open one, remove or move one; only the rows in view are rendered. */
export function ListTable({ list, others, onOpenPatient }: { list: ListView; others: ListSummary[]; onOpenPatient: (patientId: string) => void }) {
  const styles = useStyles();
  const remove = useRemovePatient(list.id);
  const move = useMovePatient(list.id);
  const mode = useTeamMode();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ column: string; direction: 'ascending' | 'descending' } | null>(null);
  const rows = useMemo(() => {
    const needle = folded(filter.trim());
    const kept = needle
      ? list.rows.filter((row) =>
          list.columns.some((c) => {
            const shown = display(c, row, list.fields, mode);
            return folded([shown.full ?? shown.text, shown.detail ?? ''].join(' ')).includes(needle);
          }),
        )
      : list.rows;
    if (!sort) return kept;
    const factor = sort.direction === 'ascending' ? 1 : -1;
    const order = sortKeyOrder();
    return [...kept].sort((a, b) => order(sortKey(sort.column, a, list.fields), sortKey(sort.column, b, list.fields), factor));
  }, [list, filter, sort, mode]);
  // Only the rows in view are in the DOM, so lists of hundreds of patients scroll smoothly.
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the tab is not built with React Compiler, whose memoizing this warns about
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => 44, overscan: 12 });
  const items = virtual.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1].end : 0;
  // The hidden explanations of empty cells, once per table (see EmptyMark).
  const hintsId = useId();
  const hintId = useCallback((kind: EmptyKind) => `${hintsId}-${kind}`, [hintsId]);
  const toggleSort = (column: string) =>
    setSort((s) =>
      s?.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' },
    );

  return (
    <>
      <div className={styles.bar}>
        <Field label={t('lists.filter')}>
          <Input value={filter} onChange={(_, d) => setFilter(d.value)} type="search" contentBefore={<SearchRegular aria-hidden />} />
        </Field>
        <ColumnsDialog list={list} key={list.version} />
        <ListFreshness listId={list.id} />
      </div>
      <ListAnnouncer listId={list.id} shown={rows.length} total={list.rows.length} filter={filter} />
      <ListLimitNotice list={list} />
      {list.ehrError && <ErrorNotice error={new ApiError(502, list.ehrError.code, list.ehrError.message)} />}
      {remove.isError && <ListChangeNotice error={remove.error} />}
      {move.isError && <ListChangeNotice error={move.error} movedFrom={list.id} />}
      <RemoveUnavailable list={list} />
      {list.rows.length === 0 && <Text role="status">{t('lists.empty')}</Text>}
      {list.rows.length > 0 && rows.length === 0 && <Text role="status">{t('lists.noMatch')}</Text>}
      {rows.length > 0 && (
        <div className={styles.scroll} ref={scrollRef} onFocus={(e) => showBesideFrozen(e.currentTarget, e.target)}>
          <EmptyHints hintId={hintId} />
          {/* Only the rows in view are rendered: the count and each row's place tell a screen reader the whole table. */}
          <Table aria-label={list.name} aria-rowcount={rows.length + 1} size="small" sortable className={styles.table}>
            <TableHeader className={styles.head}>
              <TableRow aria-rowindex={1}>
                {list.columns.map((column) =>
                  // A column whose values have no order (list-layout.ts) is a plain heading, not a sort button.
                  // A sortable one is named by its label alone (a screen reader says it with each cell),
                  // its order said by aria-sort, which Fluent sets from sortDirection.
                  isSortableColumn(column) ? (
                    <TableHeaderCell
                      key={column}
                      className={mergeClasses(styles.headCell, column === 'name' && styles.frozen)}
                      data-frozen={column === 'name' || undefined}
                      sortDirection={sort?.column === column ? sort.direction : undefined}
                      onClick={() => toggleSort(column)}
                    >
                      <span className={styles.headText}>{listColumnLabel(column, list.fields)}</span>
                    </TableHeaderCell>
                  ) : (
                    <TableHeaderCell
                      key={column}
                      sortable={false}
                      className={mergeClasses(styles.headCell, column === 'name' && styles.frozen)}
                      data-frozen={column === 'name' || undefined}
                    >
                      <span className={styles.headText}>{listColumnLabel(column, list.fields)}</span>
                    </TableHeaderCell>
                  ),
                )}
                <TableHeaderCell sortable={false} className={styles.headCell}>
                  {t('column.actions')}
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
              {items.map(({ index }) => {
                const row = rows[index];
                const name = row.available ? patientName(row.displayName, row.mrn) : unavailableName(row, mode);
                // A row the EHR failed to give (an outage) shows only an id: whom Remove or Move would
                // take off cannot be seen, so neither is offered until the row can be read (RowActions says
                // so in their place). A row the team's source said is gone keeps Remove.
                const changeable = row.available || row.unavailable === 'gone';
                return (
                  <TableRow key={row.patientId} data-index={index} aria-rowindex={index + 2} ref={virtual.measureElement}>
                    {list.columns.map((column) => {
                      const shown = display(column, row, list.fields, mode);
                      if (column === 'name')
                        return (
                          <TableCell key={column} className={mergeClasses(styles.cell, styles.frozen)} data-frozen>
                            <div className={styles.name}>
                              {row.available ? (
                                <>
                                  <Link as="button" onClick={() => onOpenPatient(row.patientId)}>
                                    {name}
                                  </Link>
                                  {shown.detail && (
                                    <Badge appearance="tint" color="subtle" icon={<HeartBrokenRegular />} className={styles.nameBadge}>
                                      {shown.detail}
                                    </Badge>
                                  )}
                                  {row.recordNotice && <RecordNoticeBadge notice={row.recordNotice} className={styles.nameBadge} />}
                                </>
                              ) : (
                                <TableCellLayout className={styles.muted}>{shown.text}</TableCellLayout>
                              )}
                            </div>
                          </TableCell>
                        );
                      return (
                        <TableCell key={column} className={styles.cell} style={{ '--cell-max': `${columnMaxWidth(column)}px` } as CSSProperties}>
                          <ListCell shown={shown} sent={sentCell(column, row)} hintId={hintId} />
                        </TableCell>
                      );
                    })}
                    <TableCell className={styles.cell}>
                      <RowActions changeable={changeable}>
                        <Button
                          size="small"
                          appearance="subtle"
                          icon={<DismissRegular />}
                          aria-label={t('lists.removeLabel', { name, list: list.name })}
                          disabled={remove.isPending}
                          onClick={() => remove.mutate(row.patientId)}
                        >
                          {t('lists.remove')}
                        </Button>
                        {others.length > 0 && (
                          <MoveToList
                            name={name}
                            others={others}
                            onMove={(to) => move.mutate({ patientId: row.patientId, toListId: to.id, name, from: list.name, to: to.name })}
                          />
                        )}
                      </RowActions>
                    </TableCell>
                  </TableRow>
                );
              })}
              {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
