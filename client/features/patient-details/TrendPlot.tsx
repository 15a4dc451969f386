import { LineChart, type ChartProps } from '@fluentui/react-charts';
import { currentLocale, t } from '../../shared/i18n/t';
import { pointText, trendTime, type TrendSeries } from './trend-data';

/**
 * The chart of one vital kind: a line per series over a time axis, the value axis titled with its
 * unit. Every point is a Tab stop; on hover and on focus it shows (and announces) its time, value,
 * unit and flag. Loaded on demand with `VitalTrendCharts`.
 */
export function TrendPlot({ title, kindLabel, series }: { title: string; kindLabel: string; series: TrendSeries[] }) {
  const data: ChartProps = {
    chartTitle: title,
    lineChartData: series.map((s) => ({
      legend: s.name,
      // Markers: every reading is a dot of its own, which the library makes focusable with our text.
      lineOptions: { mode: 'lines+markers' },
      data: s.points.map((p) => ({
        x: new Date(p.time),
        y: p.value,
        xAxisCalloutData: trendTime(p.time),
        yAxisCalloutData: pointText(p),
        // What a screen reader says on the dot, in the tab's language (the library's default is English).
        callOutAccessibilityData: { ariaLabel: `${s.name}: ${pointText(p)}, ${trendTime(p.time)}` },
      })),
    })),
  };
  return (
    <LineChart
      data={data}
      height={240}
      // Axis times and numbers in the tab's language (Intl), as the library formats them with a culture.
      culture={currentLocale()}
      xAxisTitle={t('trend.axisTime')}
      yAxisTitle={t('trend.axisValue', { kind: kindLabel, unit: series[0]?.unit ?? '' })}
      hideLegend={series.length < 2}
      hideTickOverlap
    />
  );
}
