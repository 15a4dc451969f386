import {
  unreadableReading,
  type BloodPressureValue,
  type Cell,
  type LocationValue,
  type Measurement,
  type RowCells,
  type SupplementalOxygen,
  type VitalValue,
} from '../../../contract/cells.js';
import { ageSpan, dateParts, earliestDay, latestDay } from '../../../contract/age-span.js';
import { asWrittenMs, datedAfterNow, fhirTime, sortKeyMs } from '../../../contract/fhir-time.js';
import type { When } from '../../../contract/ids.js';
import {
  adultRangesApply,
  moreSevereOfEhr,
  pressureUnitsDiffer,
  implausibleValue,
  unitBlocksFlag,
  vitalFlag,
  type VitalFlag,
  type VitalInterpretation,
} from '../../../contract/vital-ranges.js';
import { vitalKinds, type VitalKind } from '../../../contract/vitals.js';
import type { ListColumn } from '../../../contract/columns.js';
import { asPerson } from '../../../contract/manual.js';
import { englishPlaceWords, wholePlace } from '../../../contract/location-text.js';
import type { RecordNotice } from '../../../contract/patients.js';
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

/** A value with its comparator as the EHR wrote it ("<35"): a number alone when it has none. */
const bounded = (m: Measurement): string | number => (m.comparator ? `${m.comparator}${m.value}` : m.value);
const measure = (m: Measurement | null) => (m ? `${bounded(m)} ${m.unit}`.trim() : '?');
const time = (w: When | null, zone: string) => (w?.text ? ` (${whenText(w, zone)})` : '');
const items = <T>(list: T[], text: (item: T) => string) => list.map(text).join('; ');

/** A cell as plain text: "Not available", "None recorded", or its value in words. */
function textOf<T>(cell: Cell<T> | undefined, text: (value: T) => string): string {
  if (!cell || cell.status === 'unavailable') return 'Not available';
  if (cell.status === 'none') return 'None recorded';
  return text(cell.value);
}

/** What the export says, in place of an age, when the birth date and date of death contradict each other (as the tab says it). */
const DATES_CONFLICT = 'dates conflict: check in EHR';

/**
 * The age from a FHIR date to another (ageSpan), as the tab says it: whole years, "about" when the
 * dates leave them open; under two years months ("3 months", "4–5 months"), under a month from full
 * dates days; "under 1 year", "under 2 months" when the dates allow no whole unit at all (ageSpan `under`). Null when the dates contradict each other — the death before the birth, even at the
 * widest a partial date allows, or a negative age — so that no age, never a negative one, is printed.
 */
function ageAt(birthDate: string, death: string): string | null {
  const [b, d] = [dateParts(birthDate), dateParts(death)];
  if (!b || !d || latestDay(d) < earliestDay(b)) return null;
  const { age, exact, months, days, under } = ageSpan(b, d);
  if (age < 0) return null;
  if (under) return `under ${under.count} ${under.unit}${under.count === 1 ? '' : 's'}`;
  if (!months) return exact ? String(age) : `about ${age}`;
  if (months.least < months.most) return `${months.least}–${months.most} months`;
  const [count, unit] = days === undefined ? [months.most, 'month'] : [days, 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * A deceased patient's birth date column (Patient.deceased[x]): "1924-06-16 (died 1979-07-11, aged
 * 55)", or "(deceased)" without a date of death; never an age as if the patient were alive. Dates
 * that contradict each other (a death before the birth, or still to come) keep both as the EHR gave
 * them and say so: "1990-01-01 (died 1985-03-03; dates conflict: check in EHR)".
 */
function deceasedBirthDate(birthDate: string | null, deceased: { date: string | null }, now = Date.now()): string {
  const death = deceased.date?.slice(0, 10) ?? null;
  const readable = (v: string) => /^\d{4}/.test(v);
  // A date of death still to come is a record error too (as the tab says it: client/shared/format.ts diedLater).
  const later = !!deceased.date && datedAfterNow(deceased.date, now);
  const age = birthDate && death && !later ? ageAt(birthDate, death) : null;
  const conflict = death !== null && (later || (birthDate !== null && age === null && readable(birthDate) && readable(death)));
  const what = death ? `died ${death}${age ? `, aged ${age}` : conflict ? `; ${DATES_CONFLICT}` : ''}` : 'deceased';
  return birthDate ? `${birthDate} (${what})` : what[0].toUpperCase() + what.slice(1);
}

/** What the tab says of a value the EHR qualifies in a way the app cannot read (contract `qualified`). */
const QUALIFIED = 'check in EHR';
/** A problem or drug the EHR's answer gives no words for (the tab's `value.notNamed`): never "?". */
const NOT_NAMED = 'Name not given';
/** A drug named by a reference the app could not read (the tab's `value.nameUnavailable`): unknown, not absent. */
const NAME_UNAVAILABLE = 'Name not available';
/** A medication's words, or why it has none. */
const drugName = (m: { name: string | null; nameUnavailable?: true }) => m.name ?? (m.nameUnavailable ? NAME_UNAVAILABLE : NOT_NAMED);

/**
 * An entry says beside its name what the tab says: not confirmed by the EHR ("Pneumonia
 * (provisional)"), an order halted for now ("Warfarin (on hold)"), a patient on leave from the
 * place ("Ward 5 (on leave)"), a drug for discharge or taken at home ("Apixaban (for discharge)"),
 * qualified by the EHR ("Pneumonia (check in EHR)"), or several.
 */
function marked(
  text: string | null,
  item: {
    criticality?: string | null;
    severeReaction?: true;
    intolerance?: true;
    verification?: string;
    status?: string | null;
    intent?: string;
    setting?: string;
    onLeave?: true;
    qualified?: true;
  },
): string {
  const marks = [
    item.criticality === 'high' && 'high criticality',
    item.severeReaction && 'severe reaction',
    item.intolerance && 'intolerance',
    item.verification,
    item.intent === 'plan' && 'plan',
    item.status === 'on-hold' && 'on hold',
    item.status === 'intended' && 'intended',
    item.status === 'taken-unknown' && 'not known if taken',
    item.setting === 'discharge' && 'for discharge',
    item.setting === 'community' && 'home',
    item.onLeave && 'on leave',
    item.qualified && QUALIFIED,
  ].filter(Boolean);
  return `${text ?? NOT_NAMED}${marks.length ? ` (${marks.join(', ')})` : ''}`;
}

/** A replaced, qualified, inactive or secondary record, as the name column of an export says it beside the name. */
function recordNoticeText(notice: RecordNotice): string {
  if (notice.kind === 'inactive') return 'inactive record';
  if (notice.kind === 'qualified') return `record qualified by the EHR: ${QUALIFIED}`;
  const by = notice.replacedByName ?? (notice.replacedById ? `Patient/${notice.replacedById}` : null);
  if (notice.kind === 'refer') return by ? `not the main record: see ${by}` : 'not the main record';
  return by ? `replaced record: use ${by}` : 'replaced record';
}

/** A team field's value as a person reads it: yes/no as words, a person by name, text and numbers as they are. */
function fieldText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  const person = asPerson(value);
  if (person) return person.name;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * Where the patient is, as the tab says it (contract/location-text.ts, one rule for both), in one
 * text from the widest level to the narrowest: "Ward 5 North, Room 12, Bed 3", the tab's detail
 * then its text.
 */
function locationText(v: LocationValue): string {
  // On leave from a stay that names no place: the patient is away, which is not "none recorded".
  if (v.onLeave && v.location === null && !v.room && !v.bed) return 'On leave (place not recorded)';
  // An empty name: the EHR gives a place it does not name (a bare Location reference), as the tab says it.
  if (!v.location?.trim() && !v.room && !v.bed) return 'Not available';
  const place = wholePlace(v.location ?? '', v.room || null, v.bed || null, englishPlaceWords);
  return marked(place, { onLeave: v.onLeave, qualified: v.qualified });
}

/** One cell as plain text: the value, "None recorded" or "Not available"; times in `zone`. */
export function cellText(column: ListColumn, row: ListRow, zone = 'UTC'): string {
  if (column === 'name') {
    if (!row.available) return row.displayName || 'Not available';
    const name = row.displayName || (row.mrn ? `Unnamed patient (MRN ${row.mrn})` : 'Unnamed patient');
    return row.recordNotice ? `${name} (${recordNoticeText(row.recordNotice)})` : name;
  }
  if (column === 'birthDate' && row.available && row.deceased) return deceasedBirthDate(row.birthDate, row.deceased);
  if (column === 'mrn' || column === 'birthDate' || column === 'gender')
    return (row.available ? row[column] : null) ?? (row.available ? 'None recorded' : 'Not available');
  const cells = row.cells as RowCells;
  if (column.startsWith('field:')) return textOf(cells[column], fieldText);
  switch (column) {
    case 'location':
      return textOf(cells.location, locationText);
    case 'admissionDate':
      return textOf(cells.admissionDate, (v) => whenText(v, zone));
    case 'bloodPressure':
      return textOf(cells.bloodPressure, (v) =>
        unreadableReading(v)
          ? 'Not available'
          : pressureText(v) + implausibleNote('systolic', v.systolic) + preliminary(v) + time(v.time, zone) + dateNotes(v),
      );
    case 'conditions':
      return textOf(cells.conditions, (v) => items(v, (c) => marked(c.display, c)));
    case 'allergies':
      // A "no known allergy" statement keeps its marks: "No known allergies (unconfirmed)".
      return textOf(cells.allergies, (v) => {
        const statement = v.find((a) => a.noneKnown);
        return statement ? marked('No known allergies', statement) : items(v, (a) => marked(a.substance ?? 'Substance not stated', a));
      });
    case 'medications':
      // Different orders of one drug are counted: "Heparin ×2".
      return textOf(cells.medications, (v) => items(v, (m) => marked(m.count ? `${drugName(m)} ×${m.count}` : drugName(m), m)));
    case 'coverage':
      // Without a payer's name: what the record says (self-pay, a person pays, a payer the app could not read), else that it states none; never "?".
      return textOf(cells.coverage, (v) =>
        items(v, (c) =>
          marked(
            [
              c.payer ??
                (c.selfPay
                  ? 'Self-pay'
                  : c.payerPerson
                    ? 'Paid by a related person'
                    : c.payerUnavailable
                      ? 'Payer not available'
                      : 'Payer not stated'),
              c.plan,
            ]
              .filter(Boolean)
              .join(' – '),
            c,
          ),
        ),
      );
    case 'careProvider':
      return textOf(cells.careProvider, String);
    case 'latestNote':
      return textOf(cells.latestNote, (v) => `${v.text} (${v.authorName}, ${localTime(v.createdAt, zone)})`);
    default:
      return textOf(cells[column as Exclude<VitalKind, 'bloodPressure'>], (v) =>
        readable(v.value)
          ? measure(v.value) + implausibleNote(column, v.value) + onOxygen(v) + preliminary(v) + time(v.time, zone) + dateNotes(v)
          : 'Not available',
      );
  }
}

/**
 * A point in time in an IANA zone as spreadsheets sort it: "2026-12-03 14:05" (24-hour, zero
 * padded, no zone: the zone is named in the column heading). Text that is not a time stays as sent.
 */
export function localTime(value: string | number | null | undefined, zone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** What the export says after a zone-less date-time, written as the EHR gave it: not a time in the export's zone. */
export const ZONE_NOT_GIVEN = '(zone not given)';

/**
 * A FHIR time at the precision and in the zone sense the EHR sent it (contract/fhir-time.ts): a
 * time with a zone in `zone` ("2026-12-03 14:05"); a zone-less date-time as written, never
 * converted, and said to be so ("2026-12-03 08:00 (zone not given)": the column heading names a
 * zone it may not be in); a day, month or year as given ("2026-12-03", "2026-12", "2026"). Text
 * that is no FHIR time stays as sent.
 */
export function whenText(w: When | null | undefined, zone: string): string {
  if (!w) return '';
  const t = fhirTime(w.text);
  if (!t || t.precision === 'day' || t.precision === 'month' || t.precision === 'year') return w.text;
  if (t.precision === 'instant') return localTime(w.epochMs ?? sortKeyMs(t), zone);
  return `${localTime(asWrittenMs(t), 'UTC')} ${ZONE_NOT_GIVEN}`;
}

const flagWords: Record<VitalFlag | VitalInterpretation, string> = {
  low: 'Low',
  high: 'High',
  criticalLow: 'Critical low',
  criticalHigh: 'Critical high',
  abnormal: 'Abnormal',
  criticalAbnormal: 'Critical abnormal',
};

/** One column of the CSV: its heading and its text or number for a row. */
export interface CsvColumn {
  heading: string;
  value: (row: ListRow) => string | number;
}

const isVital = (column: ListColumn): column is VitalKind => (vitalKinds as readonly string[]).includes(column);

/** The vital sign cell of a row, or the words for why there is none (a reading that cannot be read is "Not available", as the tab says). */
function vitalCell<T extends VitalValue | BloodPressureValue>(row: ListRow, column: VitalKind): { value: T } | { missing: string } {
  const cell = row.available ? ((row.cells as RowCells)[column] as Cell<T> | undefined) : undefined;
  if (!cell || cell.status === 'unavailable' || (cell.status === 'ok' && unreadableReading(cell.value))) return { missing: 'Not available' };
  if (cell.status === 'none') return { missing: 'None recorded' };
  return { value: cell.value };
}

/**
 * A vital sign's columns: value (a number a spreadsheet can sort and chart; blood pressure as
 * systolic and diastolic; text such as "<35" when the EHR gave a bound, not a value), unit, time in
 * the user's zone, and flag (high, low, critical: the tab's rule, `contract/vital-ranges.ts`, on the
 * value shown; blood pressure by its systolic; none for a reading taken when the patient was younger than the adult ranges are for;
 * then the EHR's own interpretation when it is more severe, "Critical high (EHR)").
 * A missing reading says why in the value column and leaves the others empty.
 */
function vitalColumns(kind: VitalKind, heading: string, zone: string): CsvColumn[] {
  const timeHeading = `${heading} time (${zone})`;
  if (kind === 'bloodPressure') {
    // The value columns say why a reading is missing; the others are left empty.
    const of = (row: ListRow, pick: (v: BloodPressureValue) => string | number, missing = false): string | number => {
      const c = vitalCell<BloodPressureValue>(row, kind);
      return 'value' in c ? pick(c.value) : missing ? c.missing : '';
    };
    // Halves in different units are not one pressure the ranges can read: no flag (pressureUnitsDiffer).
    const flagOf = (row: ListRow, v: BloodPressureValue) =>
      v.systolic && !pressureUnitsDiffer(v.systolic, v.diastolic)
        ? vitalFlag('systolic', v.systolic.value, v.systolic.unit, v.systolic.comparator, adult(row, v))
        : null;
    return [
      { heading: `${heading} systolic`, value: (row) => of(row, (v) => (v.systolic ? bounded(v.systolic) : ''), true) },
      { heading: `${heading} diastolic`, value: (row) => of(row, (v) => (v.diastolic ? bounded(v.diastolic) : '')) },
      {
        heading: `${heading} unit`,
        // Each half's unit when they differ: "mmHg/cmH2O", never one unit for both.
        value: (row) =>
          of(row, (v) =>
            pressureUnitsDiffer(v.systolic, v.diastolic) ? `${v.systolic!.unit}/${v.diastolic!.unit}` : (v.systolic?.unit ?? v.diastolic?.unit ?? ''),
          ),
      },
      { heading: timeHeading, value: (row) => of(row, (v) => whenText(v.time, zone)) },
      {
        heading: `${heading} flag`,
        value: (row) =>
          of(row, (v) =>
            flagColumn(
              flagOf(row, v),
              v,
              !!v.systolic && unitBlocksFlag('systolic', v.systolic.unit, adult(row, v)),
              pressureUnitsDiffer(v.systolic, v.diastolic),
              !!v.systolic && implausibleValue('systolic', v.systolic.value, v.systolic.unit),
            ),
          ),
      },
    ];
  }
  // vitalCell gives only readings whose value can be read.
  const of = (row: ListRow, pick: (v: VitalValue & { value: Measurement }) => string | number, missing = false) => {
    const c = vitalCell<VitalValue>(row, kind);
    return 'value' in c && readable(c.value.value)
      ? pick(c.value as VitalValue & { value: Measurement })
      : missing && 'missing' in c
        ? c.missing
        : '';
  };
  return [
    { heading, value: (row) => of(row, (v) => bounded(v.value), true) },
    { heading: `${heading} unit`, value: (row) => of(row, (v) => v.value.unit) },
    { heading: timeHeading, value: (row) => of(row, (v) => whenText(v.time, zone)) },
    {
      heading: `${heading} flag`,
      value: (row) =>
        of(row, (v) =>
          flagColumn(
            vitalFlag(kind, v.value.value, v.value.unit, v.value.comparator, adult(row, v)),
            v,
            unitBlocksFlag(kind, v.value.unit, adult(row, v)),
            false,
            implausibleValue(kind, v.value.value, v.value.unit),
          ),
        ),
    },
    // The oxygen a saturation was taken on, in its own column: empty on room air or when the EHR does not say.
    ...(kind === 'spo2'
      ? [{ heading: `${heading} oxygen`, value: (row: ListRow) => of(row, (v) => (v.oxygen ? oxygenAmounts(v.oxygen) : '')) }]
      : []),
  ];
}

/** A saturation's supplemental oxygen (contract supplementalOxygen) as the tab writes it: "2 L/min, 40 %". */
const oxygenAmounts = (o: SupplementalOxygen) =>
  [o.flow && `${bounded(o.flow)} L/min`, o.concentration && `${bounded(o.concentration)} %`].filter(Boolean).join(', ');
/** " on O2 2 L/min" after a saturation taken on supplemental oxygen, never read as one on air. */
const onOxygen = (v: { oxygen?: SupplementalOxygen }) => (v.oxygen ? ` on O2 ${oxygenAmounts(v.oxygen)}` : '');

/** Whether the adult ranges apply to the row's patient when the reading was taken (now, when it has no time): contract/vital-ranges.ts. */
const adult = (row: ListRow, v: { time: { epochMs: number | null } | null }) => adultRangesApply(row.birthDate, v.time?.epochMs ?? Date.now());

/**
 * A reading's flag column: the app's flag, the EHR's own interpretation when it is more severe
 * (Observation.interpretation, as the tab shows it: "Critical high (EHR)"), "preliminary" for a
 * result that may still change (Observation.status), "dated after death: check in EHR" for a reading
 * dated after the patient's death (contract `afterDeath`), "dated in the future: check in EHR" for one
 * dated in the future (contract `future`), and "check in EHR" for a reading the EHR
 * qualifies (the value column stays a number). A reading in a unit the server could not convert
 * (`unitBlocksFlag`) says it is not flagged because of its unit, never an empty flag that reads as normal;
 * a value its kind cannot physically be (`implausibleValue`) says "implausible value: check in EHR".
 */
const flagColumn = (
  flag: VitalFlag | null,
  reading: { qualified?: true; preliminary?: true; statusUnknown?: true; afterDeath?: true; future?: true; interpretation?: VitalInterpretation },
  unitNotFlagged = false,
  unitsDiffer = false,
  implausible = false,
) => {
  const ehr = moreSevereOfEhr(flag, reading.interpretation);
  return [
    flag && flagWords[flag],
    unitNotFlagged && 'Not flagged: unit not recognised',
    unitsDiffer && 'Not flagged: units differ',
    implausible && IMPLAUSIBLE,
    ehr && `${flagWords[ehr]} (EHR)`,
    reading.preliminary && 'preliminary',
    reading.statusUnknown && STATUS_UNKNOWN,
    reading.afterDeath && AFTER_DEATH,
    reading.future && FUTURE,
    reading.qualified && QUALIFIED,
  ]
    .filter(Boolean)
    .join('; ');
};

/**
 * " (preliminary)" after a reading the EHR gives as preliminary, " (status unknown)" after one whose
 * status the EHR does not know (Observation.status `unknown`, contract `statusUnknown`), as the tab writes them.
 */
const preliminary = (reading: { preliminary?: true; statusUnknown?: true }) =>
  reading.preliminary ? ' (preliminary)' : reading.statusUnknown ? ` (${STATUS_UNKNOWN})` : '';
const STATUS_UNKNOWN = 'status unknown';
/** What the tab says of a reading dated after the patient's death (contract `afterDeath`). */
const AFTER_DEATH = 'dated after death: check in EHR';
/** What the tab says of a value its kind cannot physically be (contract `implausibleValue`): shown as sent, never flagged. */
const IMPLAUSIBLE = 'implausible value: check in EHR';
const implausibleNote = (kind: string, m: Measurement | null | undefined) =>
  m && readable(m) && implausibleValue(kind, m.value, m.unit) ? ` (${IMPLAUSIBLE})` : '';
/** What the tab says of a reading dated in the future (contract `future`). */
const FUTURE = 'dated in the future: check in EHR';
/** The marks of a reading's date after its text, as the tab shows them: " (dated after death: check in EHR)". */
const dateNotes = (reading: { afterDeath?: true; future?: true }) =>
  (reading.afterDeath ? ` (${AFTER_DEATH})` : '') + (reading.future ? ` (${FUTURE})` : '');

/** A value that can be read (not the contract's unreadableMeasurement). */
const readable = (m: VitalValue['value'] | undefined): m is Measurement => typeof m?.value === 'number';

/**
 * A pressure as the tab writes it: "120/80 mmHg"; halves in different units each with its own and
 * said to differ, "120 mmHg/10 cmH2O (units differ)" (pressureUnitsDiffer), never one unit for both.
 */
function pressureText(v: BloodPressureValue): string {
  const half = (m: Measurement | null) => (m ? bounded(m) : '?');
  if (pressureUnitsDiffer(v.systolic, v.diastolic)) return `${measure(v.systolic)}/${measure(v.diastolic)} (units differ)`;
  return `${half(v.systolic)}/${half(v.diastolic)} ${v.systolic?.unit ?? v.diastolic?.unit ?? ''}`.trim();
}

/** The CSV columns of a list column: one for most, value/unit/time/flag for a vital sign; time columns name the zone. */
export function csvColumns(column: ListColumn, heading: string, zone: string): CsvColumn[] {
  if (isVital(column)) return vitalColumns(column, heading, zone);
  const named = column === 'admissionDate' || column === 'latestNote' ? `${heading} (${zone})` : heading;
  return [{ heading: named, value: (row) => cellText(column, row, zone) }];
}
