import type { Cell } from '../../ehr/index.js';
import type { ListColumn } from '../../../contract/columns.js';
import type { ListRow } from './list-view.js';

/** Column headings for exports, in English (the tab labels columns in the user's language). */
export const columnHeadings: Record<Exclude<ListColumn, `field:${string}`>, string> = {
  name: 'Name',
  mrn: 'MRN',
  birthDate: 'Birth date',
  gender: 'Gender',
  location: 'Location',
  admissionDate: 'Admission date',
  heartRate: 'Heart rate',
  bloodPressure: 'Blood pressure',
  respiratoryRate: 'Respiratory rate',
  temperature: 'Temperature',
  spo2: 'SpO2',
  weight: 'Weight',
  height: 'Height',
  bmi: 'BMI',
  conditions: 'Conditions',
  allergies: 'Allergies',
  medications: 'Medications',
  coverage: 'Coverage',
  careProvider: 'Care provider',
  latestNote: 'Latest note',
};

type Json = Record<string, any>;
const measure = (m: Json | null | undefined) => (m ? `${m.value} ${m.unit}`.trim() : '?');
const time = (w: Json | null | undefined) => (w?.text ? ` (${w.text})` : '');

/** One cell as plain text: the value, "None recorded" or "Not available". */
export function cellText(column: ListColumn, row: ListRow): string {
  if (column === 'name') return row.displayName ?? 'Not available';
  if (column === 'mrn' || column === 'birthDate' || column === 'gender')
    return (row.available ? row[column] : null) ?? (row.available ? 'None recorded' : 'Not available');
  const cell = row.cells[column] as Cell<any> | undefined;
  if (!cell || cell.status === 'unavailable') return 'Not available';
  if (cell.status === 'none') return 'None recorded';
  const v = cell.value;
  if (column.startsWith('field:')) return String(v);
  switch (column) {
    case 'location':
      return v.location ?? [v.room && `Room ${v.room}`, v.bed && `Bed ${v.bed}`].filter(Boolean).join(', ');
    case 'admissionDate':
      return v.text;
    case 'bloodPressure':
      return `${v.systolic?.value ?? '?'}/${v.diastolic?.value ?? '?'} ${v.systolic?.unit ?? v.diastolic?.unit ?? ''}`.trim() + time(v.time);
    case 'conditions':
      return (v as Json[]).map((c) => c.display ?? '?').join('; ');
    case 'allergies':
      return (v as Json[]).map((a) => a.substance ?? '?').join('; ');
    case 'medications':
      return (v as Json[]).map((m) => m.name ?? '?').join('; ');
    case 'coverage':
      return (v as Json[]).map((c) => [c.payer, c.plan].filter(Boolean).join(' – ')).join('; ');
    case 'careProvider':
      return String(v);
    case 'latestNote':
      return `${v.text} (${v.authorName}, ${v.createdAt})`;
    default:
      return measure(v.value) + time(v.time);
  }
}
