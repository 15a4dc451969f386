import { LineChart, type ChartProps } from '@fluentui/react-charts';
import { useCallback, useRef, useState } from 'react';
import { numberText } from '../../shared/format';
import { currentLocale, t } from '../../shared/i18n/t';
import { axisTime, pointText, timeTicks, valueAxis, type TrendSeries } from './trend-data';

/**
 * The chart of one vital kind: a line per series over a time axis, the value axis titled with its
 * unit. Every point is a Tab stop; on hover and on focus it shows (and announces) its time, value,
 * unit and flag. Loaded on demand with `VitalTrendCharts`.
 */
export function TrendPlot({ title, kindLabel, series }: { title: string; kindLabel: string; series: TrendSeries[] }) {
  const [width, setWidth] = useState(360);
  const observer = useRef<ResizeObserver | null>(null);
  // The chart's width, followed as the panel resizes, for the number of time labels.
  const measure = useCallback((element: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!element) return;
    observer.current = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.current.observe(element);
  }, []);
  const data: ChartProps = {
    chartTitle: title,
    lineChartData: series.map((s) => ({
      legend: s.name,
      // Markers: every reading is a dot of its own, which the library makes focusable with our text.
      lineOptions: { mode: 'lines+markers' },
      data: s.points.map((p) => ({
        x: new Date(p.time),
        y: p.value,
        xAxisCalloutData: p.timeText,
        yAxisCalloutData: pointText(p),
        // What a screen reader says on the dot, in the tab's language (the library's default is English).
        callOutAccessibilityData: { ariaLabel: `${s.name}: ${pointText(p)}, ${p.timeText}` },
      })),
    })),
  };
  const axis = valueAxis(series);
  const times = series.flatMap((s) => s.points.map((p) => p.time));
  // One time label per ~120 pixels of the plot (the chart's width less its margins), so labels never overlap.
  const ticks = timeTicks(Math.min(...times), Math.max(...times), Math.floor((width - 110) / 120));
  return (
    <div ref={measure}>
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
        tickValues={ticks.map((time) => new Date(time))}
        // Times in the user's locale ("19 Nov, 08:00" in en-GB); the library's own labels are English-only.
        customDateTimeFormatter={(date: Date) => axisTime(date)}
        // Room on the right for the last time label, centred on the axis's end.
        margins={{ right: 44 }}
        hideLegend={series.length < 2}
        // The library names the chart and its legend in English: the chart is named in the tab's
        // language, and the legend is a plain key (each point names its series) rather than an English "Legends" list.
        svgProps={{ 'aria-label': t('trend.chartLabel', { kind: kindLabel, unit: series[0]?.unit ?? '' }) }}
        legendProps={{ allowFocusOnLegends: false }}
      />
    </div>
  );
}
