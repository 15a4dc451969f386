import { currentLanguage, t } from './i18n/t';
import type { MessageKey } from './i18n/en';

/** A cell of the API: data, "none recorded" or "not available". */
export type Cell = { status: 'ok'; value: any } | { status: 'none' } | { status: 'unavailable'; reason?: string };

type Json = Record<string, any>;
const measure = (m: Json | null | undefined) => (m ? `${m.value} ${m.unit}`.trim() : '?');
const when = (w: Json | null | undefined) => (w?.text ? new Date(w.epochMs ?? w.text).toLocaleString(currentLanguage(), { dateStyle: 'short', timeStyle: 'short' }) : '');

export const columnLabel = (column: string) => t(`column.${column}` as MessageKey);

/** A cell as the list shows it: compact text, with the time of a measurement where there is one. */
export function cellText(column: string, cell: Cell | undefined): { text: string; detail?: string } {
  if (!cell || cell.status === 'unavailable') return { text: t('value.unavailable') };
  if (cell.status === 'none') return { text: t('value.none') };
  const v = cell.value;
  switch (column) {
    case 'location':
      return { text: v.room && v.bed ? t('location.roomBed', { room: v.room, bed: v.bed }) : (v.location ?? ''), detail: v.location ?? undefined };
    case 'admissionDate':
      return { text: when(v) };
    case 'bloodPressure':
      return { text: `${v.systolic?.value ?? '?'}/${v.diastolic?.value ?? '?'} ${v.systolic?.unit ?? ''}`.trim(), detail: when(v.time) };
    case 'conditions':
      return { text: (v as Json[]).map((c) => c.display ?? '?').join(', ') };
    case 'allergies':
      return { text: (v as Json[]).map((a) => a.substance ?? '?').join(', ') };
    case 'medications':
      return { text: (v as Json[]).map((m) => m.name ?? '?').join(', ') };
    case 'coverage':
      return { text: (v as Json[]).map((c) => [c.payer, c.plan].filter(Boolean).join(' – ')).join(', ') };
    case 'careProvider':
      return { text: String(v) };
    case 'latestNote':
      return { text: v.text, detail: v.authorName };
    default:
      return { text: measure(v.value), detail: when(v.time) };
  }
}

/** A value to sort a column by: numbers for measurements, text otherwise; empty cells last. */
export function sortValue(column: string, cell: Cell | undefined): number | string | null {
  if (!cell || cell.status !== 'ok') return null;
  const v = cell.value;
  if (column === 'bloodPressure') return v.systolic?.value ?? null;
  if (column === 'admissionDate') return v.epochMs ?? v.text;
  if (v?.value && typeof v.value.value === 'number') return v.value.value;
  return cellText(column, cell).text.toLowerCase();
}
