import type { Cell, Measurement, RowCells } from '../../../contract/cells.js';
import type { When } from '../../../contract/ids.js';
import type { VitalKind } from '../../../contract/vitals.js';
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

const measure = (m: Measurement | null) => (m ? `${m.value} ${m.unit}`.trim() : '?');
const time = (w: When | null) => (w?.text ? ` (${w.text})` : '');
const items = <T>(list: T[], text: (item: T) => string) => list.map(text).join('; ');

/** A cell as plain text: "Not available", "None recorded", or its value in words. */
function textOf<T>(cell: Cell<T> | undefined, text: (value: T) => string): string {
  if (!cell || cell.status === 'unavailable') return 'Not available';
  if (cell.status === 'none') return 'None recorded';
  return text(cell.value);
}

/** Whole years from a FHIR date to another; "about" when either is not a full date. */
function ageAt(birthDate: string, death: string): string | null {
  const [b, d] = [birthDate, death].map((v) => /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(v));
  if (!b || !d) return null;
  let age = Number(d[1]) - Number(b[1]);
  if (!b[3] || !d[3]) return `about ${age}`;
  if (d.slice(2, 4).join('-') < b.slice(2, 4).join('-')) age -= 1;
  return String(age);
}

/**
 * A deceased patient's birth date column (Patient.deceased[x]): "1924-06-16 (died 1979-07-11, aged
 * 55)", or "(deceased)" without a date of death; never an age as if the patient were alive.
 */
function deceasedBirthDate(birthDate: string | null, deceased: { date: string | null }): string {
  const death = deceased.date?.slice(0, 10) ?? null;
  const age = birthDate && death ? ageAt(birthDate, death) : null;
  const what = death ? `died ${death}${age ? `, aged ${age}` : ''}` : 'deceased';
  return birthDate ? `${birthDate} (${what})` : what[0].toUpperCase() + what.slice(1);
}

/** One cell as plain text: the value, "None recorded" or "Not available". */
export function cellText(column: ListColumn, row: ListRow): string {
  if (column === 'name') {
    if (!row.available) return row.displayName || 'Not available';
    return row.displayName || (row.mrn ? `Unnamed patient (MRN ${row.mrn})` : 'Unnamed patient');
  }
  if (column === 'birthDate' && row.available && row.deceased) return deceasedBirthDate(row.birthDate, row.deceased);
  if (column === 'mrn' || column === 'birthDate' || column === 'gender')
    return (row.available ? row[column] : null) ?? (row.available ? 'None recorded' : 'Not available');
  const cells = row.cells as RowCells;
  if (column.startsWith('field:')) return textOf(cells[column], String);
  switch (column) {
    case 'location':
      return textOf(cells.location, (v) => v.location ?? [v.room && `Room ${v.room}`, v.bed && `Bed ${v.bed}`].filter(Boolean).join(', '));
    case 'admissionDate':
      return textOf(cells.admissionDate, (v) => v.text);
    case 'bloodPressure':
      return textOf(
        cells.bloodPressure,
        (v) => `${v.systolic?.value ?? '?'}/${v.diastolic?.value ?? '?'} ${v.systolic?.unit ?? v.diastolic?.unit ?? ''}`.trim() + time(v.time),
      );
    case 'conditions':
      return textOf(cells.conditions, (v) => items(v, (c) => c.display ?? '?'));
    case 'allergies':
      return textOf(cells.allergies, (v) => (v.some((a) => a.noneKnown) ? 'No known allergies' : items(v, (a) => a.substance ?? '?')));
    case 'medications':
      return textOf(cells.medications, (v) => items(v, (m) => m.name ?? '?'));
    case 'coverage':
      // Without a payer: what the record says (self-pay), else that it states none; never "?".
      return textOf(cells.coverage, (v) =>
        items(v, (c) => [c.payer ?? (c.selfPay ? 'Self-pay' : 'Payer not stated'), c.plan].filter(Boolean).join(' – ')),
      );
    case 'careProvider':
      return textOf(cells.careProvider, String);
    case 'latestNote':
      return textOf(cells.latestNote, (v) => `${v.text} (${v.authorName}, ${v.createdAt})`);
    default:
      return textOf(cells[column as Exclude<VitalKind, 'bloodPressure'>], (v) => measure(v.value) + time(v.time));
  }
}
