import { LineChart, type ChartProps } from '@fluentui/react-charts';
import { currentLocale, t } from '../../shared/i18n/t';
import { numberText, shortDateTime } from '../../shared/format';
import { pointText, trendTime, valueAxis, type TrendSeries } from './trend-data';

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
  const axis = valueAxis(series);
  return (
    <LineChart
      data={data}
      height={240}
      culture={currentLocale()}
      xAxisTitle={t('trend.axisTime')}
      // The value axis is titled with the unit alone: the chart's heading names the vital sign.
      yAxisTitle={series[0]?.unit ?? ''}
      yMinValue={axis.min}
      yMaxValue={axis.max}
      yAxisTickValues={axis.ticks}
      yAxisTickFormat={(value: number) => numberText(value)}
      // Times in the user's locale ("19 Nov, 08:00" in en-GB); the library's own labels are English-only.
      customDateTimeFormatter={(date: Date) => shortDateTime(date)}
      hideTickOverlap
      hideLegend={series.length < 2}
      // The library names the chart and its legend in English: the chart is named in the tab's
      // language, and the legend is a plain key (each point names its series) rather than an English "Legends" list.
      svgProps={{ 'aria-label': t('trend.chartLabel', { kind: kindLabel, unit: series[0]?.unit ?? '' }) }}
      legendProps={{ allowFocusOnLegends: false }}
    />
  );
}
