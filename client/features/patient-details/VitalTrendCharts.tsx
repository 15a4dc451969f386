import { Caption1, Subtitle2, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useMemo, useState } from 'react';
import { vitalKinds, type VitalKind } from '../../../contract/vitals';
import { columnLabel } from '../../shared/cells';
import { t } from '../../shared/i18n/t';
import { defaultRange, rowFlagText, trendIn, trendOf, trendRanges, type TrendRange } from './trend-data';

import { TrendPlot } from './TrendPlot';

const useStyles = makeStyles({
  // Two charts side by side in a wide panel, one under the other in a narrow one.
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 360px), 1fr))', gap: tokens.spacingHorizontalM },
  chart: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  heading: { margin: 0 },
  // The three span tabs wrap on a phone rather than run past the chart's edge.
  spans: { flexWrap: 'wrap' },
  plot: { minHeight: '240px', width: '100%' },
  muted: { color: tokens.colorNeutralForeground3, minHeight: '240px' },
  note: { color: tokens.colorNeutralForeground3 },
  // Read by screen readers, not drawn: the chart's readings as a table.
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});

/**
 * The trend of one vital kind: a choice of span (24 hours, 7 days, everything), the chart of the
 * readings in that span, and the same readings as a table for screen readers. The span starts at 7
 * days when they hold two readings or more, else at everything.
 */
function TrendChart({ kind, history, adultFrom }: { kind: VitalKind; history: unknown; adultFrom: number }) {
  const styles = useStyles();
  const headingId = useId();
  // One "now" per panel: the spans do not drift while it is open.
  const [now] = useState(() => Date.now());
  const trend = useMemo(() => trendOf(kind, history, adultFrom), [kind, history, adultFrom]);
  const [range, setRange] = useState<TrendRange>(() => defaultRange(trend, now));
  const shown = trendIn(trend, range, now);
  // Oxygen has a column of its own when any reading shown was taken on it (a table cell holds one kind of fact).
  const onOxygen = shown.rows.some((row) => row.oxygen);
  const kindLabel = columnLabel(kind);
  const title = t('details.trend', { kind: kindLabel });
  const hasPoints = shown.series.some((s) => s.points.length > 0);
  return (
    <section className={styles.chart} aria-labelledby={headingId} data-trend={kind}>
      <Subtitle2 as="h4" id={headingId} className={styles.heading}>
        {title}
      </Subtitle2>
      <TabList
        size="small"
        className={styles.spans}
        selectedValue={range}
        onTabSelect={(_, d) => setRange(d.value as TrendRange)}
        aria-label={t('trend.range')}
      >
        {trendRanges.map((r) => (
          <Tab key={r} value={r}>
            {t(`trend.range.${r}`)}
          </Tab>
        ))}
      </TabList>
      {hasPoints ? (
        <div className={styles.plot}>
          <TrendPlot title={title} kindLabel={kindLabel} series={shown.series} />
        </div>
      ) : (
        <Text className={styles.muted}>{t('trend.empty')}</Text>
      )}
      {shown.rows.length > 0 && (
        <table className={styles.hidden}>
          <caption>{t('trend.table', { kind: kindLabel })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('trend.time')}</th>
              <th scope="col">{t('trend.value')}</th>
              <th scope="col">{t('trend.unit')}</th>
              <th scope="col">{t('trend.flag')}</th>
              {onOxygen && <th scope="col">{t('trend.oxygen')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((row, i) => (
              <tr key={i}>
                <td>{row.timeText}</td>
                <td>{row.value}</td>
                <td>{row.unit}</td>
                <td>{rowFlagText(row)}</td>
                {onOxygen && <td>{row.oxygen}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Loaded on demand (`TrendChart.tsx`) with the chart library and the span tabs, so neither is part
 * of the tab's first download. A trend chart for each vital kind with two readings or more in the details' history (`{kind:
 * readings}`, checked by `trendOf`); the kinds with fewer are named, so their absence is explained.
 */
export default function VitalTrendCharts({ histories, adultFrom }: { histories: Record<string, unknown>; adultFrom: number }) {
  const styles = useStyles();
  const count = (kind: VitalKind) => trendOf(kind, histories[kind]).rows.length;
  const trended = vitalKinds.filter((kind) => count(kind) >= 2);
  const single = vitalKinds.filter((kind) => count(kind) === 1);
  return (
    <>
      {trended.length > 0 && (
        <div className={styles.grid}>
          {trended.map((kind) => (
            <TrendChart key={kind} kind={kind} history={histories[kind]} adultFrom={adultFrom} />
          ))}
        </div>
      )}
      {single.length > 0 && <Caption1 className={styles.note}>{t('trend.single', { kinds: single.map(columnLabel).join(', ') })}</Caption1>}
    </>
  );
}
