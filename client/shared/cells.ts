import { calendarDate, numberText } from './format';
import type { MessageKey } from './i18n/en';
import { currentLanguage, t } from './i18n/t';

/** A cell of the API: data, "none recorded" or "not available". */
export type Cell = { status: 'ok'; value: any } | { status: 'none' } | { status: 'unavailable'; reason?: string };

/** A cell as the list shows it: compact `text`, a second line `detail`, and `full` text when `text` is shortened. */
export interface CellDisplay {
  text: string;
  detail?: string;
  full?: string;
}

type Json = Record<string, any>;

/** How many entries of a list (conditions, allergies…) a list cell shows before "+N more". */
export const LIST_CELL_ITEMS = 2;

// Units as clinicians write them on a ward list, in the active language; anything else is shown as the EHR gave it.
const unitKeys: Record<string, MessageKey> = {
  '/min': 'unit.perMinute',
  'beats/minute': 'unit.perMinute',
  'beats/min': 'unit.perMinute',
  'breaths/minute': 'unit.perMinute',
  'breaths/min': 'unit.perMinute',
  'mm[Hg]': 'unit.mmHg',
  'mmHg': 'unit.mmHg',
  'Cel': 'unit.celsius',
  '°C': 'unit.celsius',
  'kg': 'unit.kg',
  'cm': 'unit.cm',
  'kg/m2': 'unit.kgPerM2',
};

const unitText = (unit: string | null | undefined) => (unit ? (unitKeys[unit] ? t(unitKeys[unit]) : unit) : '');

const withUnit = (value: string, unit: string) => (unit.startsWith('/') ? `${value}${unit}` : `${value} ${unit}`.trim());

const measure = (m: Json | null | undefined) => (!m || typeof m.value !== 'number' ? '?' : withUnit(numberText(m.value), unitText(m.unit)));

const numberOrUnknown = (m: Json | null | undefined) => (typeof m?.value === 'number' ? numberText(m.value) : '?');

/** A reading's time, short: day, month and time, with the year only when it is not this year. */
export function shortTime(w: Json | null | undefined, now = new Date()): string {
  if (!w?.text) return '';
  const date = new Date(w.epochMs ?? w.text);
  if (Number.isNaN(date.getTime())) return String(w.text);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (date.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return date.toLocaleString(currentLanguage(), options);
}

/** A date as the EHR gave it (a day, a month, a year, or a point in time), in the active language. */
export function dateText(w: Json | null | undefined): string {
  if (!w?.text) return '';
  const day = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(w.text);
  if (day) return calendarDate(Number(day[1]), day[2] ? Number(day[2]) : undefined, day[3] ? Number(day[3]) : undefined);
  if (!/^\d{4}-\d{2}-\d{2}/.test(w.text) || w.epochMs === null || w.epochMs === undefined) return String(w.text);
  return new Date(w.epochMs).toLocaleDateString(currentLanguage(), { dateStyle: 'medium' });
}

export const columnLabel = (column: string) => t(`column.${column}` as MessageKey);

/** The first entries of a list, then "+N more"; the whole list as `full`. */
function listText(items: string[]): CellDisplay {
  const full = items.join(', ');
  if (items.length <= LIST_CELL_ITEMS) return { text: full };
  return { text: `${items.slice(0, LIST_CELL_ITEMS).join(', ')} ${t('value.more', { count: items.length - LIST_CELL_ITEMS })}`, full };
}

/** Room and bed as the text, the rest of the location (ward, unit) as the detail. */
function locationText(v: Json): CellDisplay {
  const room: string | null = v.room ?? null;
  const bed: string | null = v.bed ?? null;
  const where = room && bed ? t('location.roomBed', { room, bed }) : room ? t('location.room', { room }) : bed ? t('location.bed', { bed }) : null;
  const rest = String(v.location ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== room && s !== bed && !/^(room|bed)\b/i.test(s))
    .join(', ');
  if (!where) return { text: v.location ?? '' };
  return { text: where, detail: rest || undefined };
}

/** A cell as the list shows it: compact text, with the time of a measurement where there is one. */
export function cellText(column: string, cell: Cell | undefined): CellDisplay {
  if (!cell || cell.status === 'unavailable') return { text: t('value.unavailable') };
  if (cell.status === 'none') return { text: t('value.none') };
  const v = cell.value;
  switch (column) {
    case 'location':
      return locationText(v);
    case 'admissionDate':
      return { text: dateText(v) };
    case 'bloodPressure':
      return { text: withUnit(`${numberOrUnknown(v.systolic)}/${numberOrUnknown(v.diastolic)}`, unitText(v.systolic?.unit ?? v.diastolic?.unit)), detail: shortTime(v.time) };
    case 'conditions':
      return listText((v as Json[]).map((c) => c.display ?? '?'));
    case 'allergies':
      return listText((v as Json[]).map((a) => a.substance ?? '?'));
    case 'medications':
      return listText((v as Json[]).map((m) => m.name ?? '?'));
    case 'coverage':
      return listText((v as Json[]).map((c) => [c.payer, c.plan].filter(Boolean).join(' – ') || '?'));
    case 'careProvider':
      return { text: String(v) };
    case 'latestNote':
      return { text: v.text, detail: v.authorName };
    default:
      return { text: measure(v.value), detail: shortTime(v.time) };
  }
}

/** A value to sort a column by: numbers for measurements, text otherwise; empty cells last. */
export function sortValue(column: string, cell: Cell | undefined): number | string | null {
  if (!cell || cell.status !== 'ok') return null;
  const v = cell.value;
  if (column === 'bloodPressure') return v.systolic?.value ?? null;
  if (column === 'admissionDate') return v.epochMs ?? v.text;
  if (v?.value && typeof v.value.value === 'number') return v.value.value;
  const shown = cellText(column, cell);
  return (shown.full ?? shown.text).toLowerCase();
}
