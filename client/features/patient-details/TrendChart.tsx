import { tokens } from '@fluentui/react-components';

/** A small line chart of one vital sign over time (values in reading order); the newest reading is marked. */
export function TrendChart({ label, points }: { label: string; points: { time: number; value: number }[] }) {
  const width = 160;
  const height = 36;
  if (points.length < 2) return null;
  const times = points.map((p) => p.time);
  const values = points.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * (width - 8) + 4);
  const y = (v: number) => (v1 === v0 ? height / 2 : height - 4 - ((v - v0) / (v1 - v0)) * (height - 8));
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ display: 'block' }}>
      <title>{label}</title>
      <line x1={0} x2={width} y1={height - 1} y2={height - 1} stroke={tokens.colorNeutralStroke2} strokeWidth={1} />
      <path d={path} fill="none" stroke={tokens.colorBrandForeground1} strokeWidth={1.5} strokeLinejoin="round" />
      {points.map((p, i) => (
        <circle key={i} cx={x(p.time)} cy={y(p.value)} r={i === points.length - 1 ? 3.5 : 2} fill={tokens.colorBrandForeground1} />
      ))}
    </svg>
  );
}
