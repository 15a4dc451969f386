import type { ListCell, Measurement } from '../../contract/cells';
import type { When } from '../../contract/ids';
import { allColumns } from './columns';
import { authorText, codeLabel, exactNumberText, fhirTimeText, numberText } from './format';
import { isUnconfirmed } from '../../contract/plain-constants';
import { placeParts, type PlaceWords } from '../../contract/location-text';
import {
  implausibleValue,
  isComparator,
  isStale,
  moreSevereOfEhr,
  pressureUnitsDiffer,
  unitBlocksFlag,
  vitalBand,
  type Comparator,
  type VitalFlag,
  type VitalInterpretation,
} from '../../contract/vital-ranges';
import type { MessageKey } from './i18n/en';
import { t } from './i18n/t';
import { lookupTable } from '../../contract/lookup-table';

/**
 * A cell of the API (the contract's `ListCell`): data, "none recorded" or "not available". What
 * arrives is another program's JSON, so everything here takes `unknown` and checks it before showing it.
 */
export type Cell = ListCell;

/** A cell as the list shows it: compact `text`, a second line `detail`, and `full` text when `text` is shortened. */
export interface CellDisplay {
  text: string;
  detail?: string;
  full?: string;
  /** A vital sign outside its adult range (`contract/vital-ranges.ts`), shown with an icon and words. */
  flag?: VitalFlag;
  /** The NEWS2 score of the flagged value's band. */
  news2?: number;
  /**
   * The EHR's own interpretation of the reading (contract `interpretation`, Observation.interpretation),
   * only when it is more severe than `flag` (or there is none: a child's reading, weight, BMI):
   * shown as the EHR's, with an icon and words ("Critical high (EHR)"), beside the app's flag.
   */
  ehrFlag?: VitalInterpretation;
  /** A vital sign taken more than 24 hours ago. */
  stale?: boolean;
  /** A reading or place the EHR qualifies in a way the tab cannot read (contract `qualified`): marked "check in EHR". */
  qualified?: boolean;
  /** A vital sign dated after the patient's death (contract `afterDeath`): marked "dated after death: check in EHR". */
  afterDeath?: boolean;
  /** A vital sign dated in the future (contract `future`): marked "dated in the future: check in EHR", never stale. */
  future?: boolean;
  /** A vital sign the EHR has not made final (contract `preliminary`): its text says "preliminary". */
  preliminary?: boolean;
  /** A vital sign whose status the EHR does not know (contract `statusUnknown`): its text says "status unknown". */
  statusUnknown?: boolean;
  /** What the EHR sent, when the value shown was rounded or converted (for the details). */
  source?: string;
  /**
   * A reading of a flagged kind in a unit the server could not convert (contract `unitBlocksFlag`):
   * shown as sent, never flagged, and its text says so ("not flagged: unit not recognised") so it never looks normal.
   */
  unitNotFlagged?: boolean;
  /**
   * A reading of a flagged kind outside what the kind can physically be (contract `implausibleValue`:
   * SpO2 0.93 %, 95 °C): shown as sent, never flagged, and its text says "implausible value: check in EHR".
   */
  implausible?: boolean;
  /** The supplemental oxygen an SpO2 reading was taken on (contract `supplementalOxygen`), "2 L/min, 40 %": marked "On O₂", never read as on air. */
  oxygen?: string;
}

/** A cell as shown, with what it turned out to be: data, "none recorded", or "not available" (also for anything not understood). */
export interface ShownCell extends CellDisplay {
  status: Cell['status'];
}

type Json = Record<string, unknown>;

/** How many entries of a list (conditions, allergies…) a list cell shows before "+N more". */
export const LIST_CELL_ITEMS = 2;

// Units as clinicians write them on a ward list, in the active language; anything else is shown as the EHR gave it.
const unitKeys: Record<string, MessageKey> = lookupTable({
  '/min': 'unit.perMinute',
  'beats/minute': 'unit.perMinute',
  'beats/min': 'unit.perMinute',
  'breaths/minute': 'unit.perMinute',
  'breaths/min': 'unit.perMinute',
  'mm[Hg]': 'unit.mmHg',
  mmHg: 'unit.mmHg',
  Cel: 'unit.celsius',
  '°C': 'unit.celsius',
  kg: 'unit.kg',
  cm: 'unit.cm',
  'kg/m2': 'unit.kgPerM2',
  'kg/m²': 'unit.kgPerM2',
});

// What a server's answer is checked against: a cell carries JSON from another program, so each
// value is looked at before it is shown, and a shape the tab does not know is "not available".
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const textOf = (x: unknown): string | null => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : null);

/** A coverage's payer, in the list and the details alike: its name, else what the record says (self-pay, a person pays), else that it states none; never "?". */
export const payerText = (c: { payer?: unknown; selfPay?: unknown; payerPerson?: unknown; payerUnavailable?: unknown }): string =>
  textOf(c.payer) ||
  t(
    c.selfPay === true
      ? 'coverage.selfPay'
      : c.payerPerson === true
        ? 'coverage.personPays'
        : c.payerUnavailable === true
          ? 'coverage.payerUnavailable'
          : 'coverage.noPayer',
  );

/** A drug's words, or why it has none: named by a reference the app could not read ("Name not available"), or given none. */
export const drugNameText = (m: { name?: unknown; nameUnavailable?: unknown }): string =>
  textOf(m.name) || t(m.nameUnavailable === true ? 'value.nameUnavailable' : 'value.notNamed');
interface ShownMeasurement {
  value: number;
  unit: Measurement['unit'] | null;
  comparator?: Comparator;
  original?: { value: number; unit: string | null };
}
/** A measurement; one whose comparator (a modifier of its meaning) the tab does not know is not understood. */
export const measurementOf = (x: unknown): ShownMeasurement | null => {
  if (!isObject(x) || typeof x.value !== 'number' || !Number.isFinite(x.value)) return null;
  if (x.comparator !== undefined && !isComparator(x.comparator)) return null;
  const original = x.original !== undefined ? measurementOf(x.original) : null;
  return {
    value: x.value,
    unit: typeof x.unit === 'string' ? x.unit : null,
    ...(x.comparator ? { comparator: x.comparator } : {}),
    ...(original ? { original } : {}),
  };
};

const comparatorSigns: Record<Comparator, string> = { '<': '<', '<=': '≤', '>=': '≥', '>': '>' };
/** A value as the list shows it, with its comparator when the EHR gave a bound ("<35", "≥131"). */
export const boundText = (m: { value: number; comparator?: Comparator }, text = numberText) =>
  `${m.comparator ? comparatorSigns[m.comparator] : ''}${text(m.value)}`;

/** What the EHR sent for a measurement that was rounded or converted, with every digit it sent. */
const sourceOf = (m: ShownMeasurement | null) =>
  m?.original ? `${boundText({ ...m.original, comparator: m.comparator }, exactNumberText)} ${m.original.unit ?? ''}`.trim() : null;

/** A saturation's supplemental oxygen, "2 L/min, 40 %"; empty (or false) when the cell carries none. */
export const oxygenText = (x: unknown) =>
  isObject(x) &&
  [measurementOf(x.flow), measurementOf(x.concentration)].flatMap((m) => (m ? [withUnit(boundText(m), unitText(m.unit))] : [])).join(', ');

/** The flag (the app's, and the EHR's when it says more), staleness and source of a vital sign's reading, as `CellDisplay` carries them. */
function vitalMarks(kind: string, m: ShownMeasurement | null, v: Json, now: number, source: string | null, adult: boolean) {
  const band = m ? vitalBand(kind, m.value, m.unit, m.comparator, adult) : null;
  const ehrFlag = moreSevereOfEhr(band?.flag, v.interpretation);
  return {
    ...(band?.flag ? { flag: band.flag, news2: band.news2 } : {}),
    ...(ehrFlag ? { ehrFlag } : {}),
    // A reading dated in the future (contract `future`) is never stale, whatever the tab's clock says.
    ...(v.future !== true && isStale(whenOf(v.time), now) ? { stale: true } : {}),
    ...(source ? { source } : {}),
  };
}
/**
 * A vital sign's text, with "(preliminary)" after the value when the EHR says the reading is not
 * final yet (contract `preliminary`, Observation.status), and "(status unknown)" when the EHR does not
 * know its status (contract `statusUnknown`, Observation.status `unknown`): in words, in the list and the details alike.
 */
const vitalText = (text: string, v: Json) =>
  v.preliminary === true
    ? { text: `${text} (${codeLabel('preliminary')})`, preliminary: true }
    : v.statusUnknown === true
      ? { text: `${text} (${t('vital.statusUnknown')})`, statusUnknown: true }
      : { text };
/**
 * Why a reading of a flagged kind (`flagKind`: the systolic for a pressure) has no flag, in words in
 * its text, in the list and the details: a unit the ranges are not written in, or a value the kind
 * cannot physically be (contract `implausibleValue`, at any age: "0.93 % (implausible value: check in EHR)").
 */
function unitNote(shown: { text: string }, flagKind: string, m: ShownMeasurement | null, adult: boolean) {
  if (m && unitBlocksFlag(flagKind, m.unit, adult)) return { text: `${shown.text} (${t('vital.unitNotFlagged')})`, unitNotFlagged: true };
  if (m && implausibleValue(flagKind, m.value, m.unit)) return { text: `${shown.text} (${t('vital.implausible')})`, implausible: true };
  return {};
}
const whenOf = (x: unknown): When | null =>
  isObject(x) && typeof x.text === 'string'
    ? { text: x.text, epochMs: typeof x.epochMs === 'number' && Number.isFinite(x.epochMs) ? x.epochMs : null }
    : null;

/** A unit as clinicians write it, in the active language (the details' trend axes use it too). */
export const unitText = (unit: string | null | undefined) => (unit ? (Object.hasOwn(unitKeys, unit) ? t(unitKeys[unit]) : unit) : '');

export const withUnit = (value: string, unit: string) => (unit.startsWith('/') ? `${value}${unit}` : `${value} ${unit}`.trim());

/**
 * A reading's time, short, in the user's locale, at the precision and in the zone sense the EHR
 * sent it (fhirTimeText): day, month and time ("Dec 5, 8:00 AM"; a zone-less time as written), a
 * day ("Dec 5") or month ("Dec 2026") alone; the year only when it is not this year.
 */
export function shortTime(w: unknown, now = new Date()): string {
  const when = whenOf(w);
  return when ? fhirTimeText(when.text, when.epochMs, 'short', now) : '';
}

/** A date as the EHR gave it (a day, a month, a year, or the day of a point in time: a zone-less one's as written), in the user's locale. */
export function dateText(w: unknown): string {
  const when = whenOf(w);
  return when ? fhirTimeText(when.text, when.epochMs, 'date') : '';
}

const knownColumns = new Set<string>(allColumns);

/** A column the tab knows: a built-in one, or a Manual-mode team's own field (`field:<id>`). */
export const isKnownColumn = (column: string) => knownColumns.has(column) || /^field:./.test(column);

/** A column's heading in the active language; a column the tab does not know is headed by its id, as the server sent it. */
export const columnLabel = (column: string) => (knownColumns.has(column) ? t(`column.${column}` as MessageKey) : String(column));

/** The first entries of a list, then "+N more"; the whole list as `full`. */
function listText(items: string[]): CellDisplay {
  const full = items.join(', ');
  if (items.length <= LIST_CELL_ITEMS) return { text: full };
  return { text: `${items.slice(0, LIST_CELL_ITEMS).join(', ')} ${t('value.more', { count: items.length - LIST_CELL_ITEMS })}`, full };
}

/** The tab's words for a room and a bed, in the active language (contract/location-text.ts says the place with them). */
const placeWords: PlaceWords = {
  room: (room) => t('location.room', { room }),
  bed: (bed) => t('location.bed', { bed }),
  roomBed: (room, bed) => t('location.roomBed', { room, bed }),
};
/**
 * Room and bed as the text, the rest of the location (ward, unit, widest first) as the detail, which
 * never repeats a room or bed in any of the words the server reads them from ("Ward 5 Rm 12" →
 * "Ward 5"): the rule of contract/location-text.ts, which the CSV says in one text.
 * A current place the EHR names nowhere (`location` '', no room or bed: a Location reference
 * without a display) gives null, so the cell reads "not available", never "none recorded".
 */
function locationText(v: Json): CellDisplay | null {
  const location = textOf(v.location) ?? '';
  const { where, rest } = placeParts(location, textOf(v.room) || null, textOf(v.bed) || null, placeWords);
  if (!where) return location.trim() ? { text: location } : null;
  return { text: where, detail: rest || undefined };
}

/** A list of entries (conditions, allergies…), each an object; its words from `name`, "Name not given" where an entry has none. */
function entries(v: unknown, name: (entry: Json) => string | null): CellDisplay | null {
  if (!Array.isArray(v) || v.length === 0 || !v.every(isObject)) return null;
  return listText(v.map((entry) => name(entry) || t('value.notNamed')));
}

/**
 * What the list says beside an entry's name: a diagnosis or allergy the EHR has not confirmed
 * ("Asthma (provisional)"), an order halted for now ("Warfarin (on hold)"), an entry the EHR
 * qualifies in a way the tab cannot read ("Asthma (check in EHR)"), an allergy of high criticality
 * ("Penicillin (high)": AllergyIntolerance.criticality `high`, DSTU2 CRITH; in words, never by colour
 * alone, first of the marks), a severe reaction the patient had, an intolerance, a drug only intended ("Warfarin (intended)"), or several.
 */
function marked(text: string | null, item: Json): string | null {
  const marks = [
    item.criticality === 'high' && t('value.highCriticality'),
    item.severeReaction === true && t('value.severeReaction'),
    item.intolerance === true && t('value.intolerance'),
    isUnconfirmed(item.verification) && codeLabel(item.verification),
    item.intent === 'plan' && codeLabel(item.intent),
    // A statement of a drug only meant to be taken (MedicationStatement `intended`), or not known to
    // be taken (STU3 `taken` = unk), is not one being taken.
    (item.status === 'on-hold' || item.status === 'intended' || item.status === 'taken-unknown') && codeLabel(item.status),
    // An order for after discharge, a drug taken at home (contract MedicationView.setting).
    (item.setting === 'discharge' || item.setting === 'community') && codeLabel(item.setting),
    item.qualified === true && t('value.qualified'),
  ].filter(Boolean);
  return marks.length ? `${text || t('value.notNamed')} (${marks.join(', ')})` : text;
}
/** The mark of a single value (a vital sign, a location) the EHR qualifies. */
const qualifiedMark = (v: Json) => (v.qualified === true ? { qualified: true } : {});
/** A reading's marks from the record: "check in EHR" (contract `qualified`), "dated after death" (`afterDeath`), "dated in the future" (`future`). */
const readingMarks = (v: Json) => ({
  ...qualifiedMark(v),
  ...(v.afterDeath === true ? { afterDeath: true } : {}),
  ...(v.future === true ? { future: true } : {}),
});

/** A value the tab understands, as shown; null for a shape it does not know. */
function valueText(column: string, v: unknown, now: number, adultFrom: number): CellDisplay | null {
  // Adult ranges for a reading taken when the patient was old enough (its time; now when it has none).
  const adult = (whenOf(isObject(v) ? v.time : 0)?.epochMs ?? now) >= adultFrom;
  if (column.startsWith('field:')) {
    if (typeof v === 'number' && Number.isFinite(v)) return { text: numberText(v) };
    if (typeof v === 'boolean') return { text: v ? t('manual.yes') : t('manual.no') };
    if (isObject(v) && typeof v.name === 'string') return { text: v.name };
    return typeof v === 'string' ? { text: v } : null;
  }
  switch (column) {
    case 'location': {
      const shown = isObject(v) ? locationText(v) : null;
      // On leave from a stay that names no place: the patient is away, which is not "none recorded".
      if (!shown && isObject(v) && v.onLeave === true && v.location === null) return { text: t('location.onLeaveNoPlace'), ...qualifiedMark(v) };
      if (!shown || !isObject(v)) return shown;
      // Encounter.status onleave: the place is kept, and said to be left for now in words, not by colour alone.
      const text = v.onLeave === true ? `${shown.text} (${codeLabel('onleave')})` : shown.text;
      return { ...shown, text, ...qualifiedMark(v) };
    }
    case 'admissionDate':
      return whenOf(v) ? { text: dateText(v) } : null;
    case 'bloodPressure': {
      if (!isObject(v)) return null;
      const [systolic, diastolic] = [measurementOf(v.systolic), measurementOf(v.diastolic)];
      if (!systolic && !diastolic) return null;
      const number = (m: ShownMeasurement | null) => (m ? boundText(m) : '?');
      // What the EHR sent, as one pressure: "106.232/77.877 mm[Hg]".
      const sent = (m: typeof systolic) => (m ? boundText({ value: m.original?.value ?? m.value, comparator: m.comparator }, exactNumberText) : '?');
      const source =
        systolic?.original || diastolic?.original
          ? `${sent(systolic)}/${sent(diastolic)} ${(systolic?.original ?? diastolic?.original)?.unit ?? ''}`.trim()
          : null;
      // Halves in different units (pressureUnitsDiffer): each with its unit, said to differ, not flagged, sorted last.
      if (pressureUnitsDiffer(systolic, diastolic)) {
        const half = (m: ShownMeasurement) => withUnit(boundText(m), unitText(m.unit));
        const text = vitalText(`${half(systolic!)}/${half(diastolic!)} (${t('vital.unitsDiffer')})`, v);
        return {
          ...text,
          unitNotFlagged: true,
          detail: shortTime(v.time) || undefined,
          ...vitalMarks('systolic', null, v, now, source, adult),
          ...readingMarks(v),
        };
      }
      const text = vitalText(withUnit(`${number(systolic)}/${number(diastolic)}`, unitText(systolic?.unit ?? diastolic?.unit)), v);
      return {
        ...text,
        ...unitNote(text, 'systolic', systolic, adult),
        detail: shortTime(v.time) || undefined,
        // NEWS2 scores the systolic pressure only.
        ...vitalMarks('systolic', systolic, v, now, source, adult),
        ...readingMarks(v),
      };
    }
    case 'heartRate':
    case 'respiratoryRate':
    case 'temperature':
    case 'spo2':
    case 'weight':
    case 'height':
    case 'bmi': {
      const m = isObject(v) ? measurementOf(v.value) : null;
      if (!m || !isObject(v)) return null;
      const text = vitalText(withUnit(boundText(m), unitText(m.unit)), v);
      // Only a saturation carries the oxygen it was taken on (contract supplementalOxygen).
      const oxygen = oxygenText(v.oxygen);
      return {
        ...text,
        ...unitNote(text, column, m, adult),
        detail: shortTime(v.time) || undefined,
        ...vitalMarks(column, m, v, now, sourceOf(m), adult),
        ...readingMarks(v),
        ...(oxygen ? { oxygen } : {}),
      };
    }
    case 'conditions':
      return entries(v, (c) => marked(textOf(c.display), c));
    case 'allergies':
      // A record stating no known allergy: neither an allergy nor "none recorded"; with its marks, as
      // every allergy ("No known allergies (unconfirmed)": AllergyIntolerance verification unconfirmed).
      if (Array.isArray(v)) {
        const statement = v.find((a): a is Json => isObject(a) && a.noneKnown === true);
        if (statement) return { text: marked(t('value.noKnownAllergies'), statement) ?? t('value.noKnownAllergies') };
      }
      // An allergy the EHR names by no substance at all says so, never "?".
      return entries(v, (a) => marked(textOf(a.substance) || t('allergy.noSubstance'), a));
    case 'medications':
      // Different current orders of one drug, counted by the server (contract `count`): "Heparin ×2".
      return entries(v, (m) =>
        marked(typeof m.count === 'number' && Number.isInteger(m.count) && m.count > 1 ? `${drugNameText(m)} ×${m.count}` : drugNameText(m), m),
      );
    case 'coverage':
      return entries(v, (c) => marked([payerText(c), textOf(c.plan)].filter(Boolean).join(' – '), c));
    case 'careProvider': {
      const text = textOf(v);
      return text ? { text } : null;
    }
    case 'latestNote':
      return isObject(v) && typeof v.text === 'string' ? { text: v.text, detail: authorText(v.authorName, v.authorUnverified) || undefined } : null;
    default:
      // A column this tab does not know (a newer server's, or one stored by mistake).
      return null;
  }
}

const notAvailable = (): ShownCell => ({ status: 'unavailable', text: t('value.unavailable') });

/**
 * A cell as the list shows it, from whatever the server sent: "none recorded", "not available",
 * or the value in compact text with the time of a measurement where there is one. A vital sign
 * carries its flag (the one place flags are computed, from the contract's NEWS2 table, on the
 * value shown; none for a reading taken before `adultFrom`, when the patient was younger than the
 * adult ranges are for: contract adultFrom)
 * and whether it is stale at `now` (older than 24 hours). A cell of
 * another shape (null, a string, an unknown status, a value the column does not hold) and any
 * cell of a column the tab does not know are "not available"; this never throws.
 */
export function showCell(column: string, cell: unknown, now = Date.now(), adultFrom = -Infinity): ShownCell {
  if (!isObject(cell)) return notAvailable();
  if (cell.status === 'none') return { status: 'none', text: t('value.none') };
  if (cell.status !== 'ok') return notAvailable();
  try {
    const shown = valueText(String(column), cell.value, now, adultFrom);
    return shown && typeof shown.text === 'string' ? { status: 'ok', ...shown } : notAvailable();
  } catch {
    return notAvailable();
  }
}

/** A cell as the list shows it (see `showCell`). */
export function cellText(column: string, cell: unknown, now = Date.now(), adultFrom = -Infinity): CellDisplay {
  const { status: _status, ...shown } = showCell(column, cell, now, adultFrom);
  return shown;
}

/** A value to sort a column by: numbers for measurements, text otherwise; empty and unreadable cells last. */
export function sortValue(column: string, cell: unknown): number | string | null {
  const shown = showCell(column, cell);
  if (shown.status !== 'ok') return null;
  const v = isObject(cell) ? cell.value : undefined;
  // A reading in a unit the ranges are not written in cannot be ordered among the others' numbers: it sorts last, never as a low value.
  // Nor can a value the kind cannot physically be (0.93 %): never the lowest saturation.
  if (shown.unitNotFlagged || shown.implausible) return null;
  if (column === 'bloodPressure') return isObject(v) ? (measurementOf(v.systolic)?.value ?? null) : null;
  if (column === 'admissionDate') {
    const when = whenOf(v);
    return when ? (when.epochMs ?? when.text) : null;
  }
  if (typeof v === 'number') return v;
  const m = isObject(v) ? measurementOf(v.value) : null;
  if (m) return m.value;
  return (shown.full ?? shown.text).toLowerCase();
}
