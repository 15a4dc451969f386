import { z } from 'zod';
import { listColumns } from './columns.js';
import { when } from './ids.js';
import { unavailableReasons, unconfirmedVerifications, type UnavailableReason } from './plain-constants.js';
import { note } from './notes.js';
import { COMPARATORS, VITAL_INTERPRETATIONS } from './vital-ranges.js';

/**
 * The cells of a patient list: what each column carries. A cell is data (`ok` with the column's
 * value), "none recorded" (`none`) or "not available" (`unavailable`, with the reason).
 */

/**
 * Why a cell has no data to show as "not available":
 * - `not_offered`: the EHR does not list the resource type in its capability statement (or, in
 *   Manual mode, only an EHR fills the column);
 * - `failed`: the EHR answered that read with an error (or not in time, or too large), or the
 *   patient could not be read;
 * - `malformed`: the EHR answered with something that is not a FHIR search result;
 * - `unreadable_value`: a vital sign column whose latest reading the EHR recorded with a value the
 *   app cannot read (contract `unreadableMeasurement`: text, a code, a Quantity without a number).
 *   The list cell says so rather than carry the reading with no value; the details keep the record.
 * - `replaced_record`: the patient's record is one the EHR says must no longer be used (Patient.link
 *   `replaced-by`, DSTU2 `replace`; recordNotice `replaced`): its clinical data was moved to the
 *   record in use, so what it still holds is neither current nor "none recorded".
 */
export { unavailableReasons, type UnavailableReason } from './plain-constants.js';
export const unavailableReason = z.enum(unavailableReasons);

/** One piece of data: "none recorded", "not available", or the value. */
export type Cell<T> = { status: 'ok'; value: T } | { status: 'none' } | { status: 'unavailable'; reason: UnavailableReason };

export const noneCell = z.object({ status: z.literal('none') });
export const unavailableCell = z.object({ status: z.literal('unavailable'), reason: unavailableReason });

/** A cell schema for values of one shape. */
export function cellOf<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), value }), noneCell, unavailableCell]);
}

/**
 * Quantity.comparator (DSTU2, STU3, R4; a modifier): the real value is below, at most, at least or
 * above the value given, e.g. a temperature under a thermometer's range, "<35 °C". Defined in
 * `contract/vital-ranges.ts` (the tab reads it without zod).
 */
export const comparator = z.enum(COMPARATORS);

/**
 * A measured value as shown: rounded per kind, in °C, kg, cm, /min, mmHg, %, kg/m² (server/ehr/clinical/units.ts),
 * else in the EHR's unit ('' when it gave none). Flags come from `contract/vital-ranges.ts`.
 */
export const measurement = z.object({
  value: z.number(),
  unit: z.string(),
  /** As the EHR sent it; a value with a comparator is rounded away from it ("<35.04" reads "<35.1"), so it stays true. */
  comparator: comparator.optional(),
  /** What the EHR sent, when the value shown differs: converted (°F → °C, lb → kg, in → cm) or rounded. */
  original: z.object({ value: z.number(), unit: z.string() }).optional(),
});
export type Measurement = z.infer<typeof measurement>;

/**
 * The EHR qualifies the record with a modifier this app cannot read (a modifierExtension or
 * implicitRules, FHIR DSTU2, STU3 and R4: server/ehr/modifiers.ts): it is shown, marked "check in
 * the EHR", never as if it meant plainly what it says. Absent otherwise.
 */
export const qualified = z.literal(true).optional();

/**
 * The EHR says the reading is not final yet (Observation.status `preliminary`, DSTU2, STU3 and R4):
 * it is shown, and the tab says "preliminary" beside the value. Absent otherwise.
 */
export const preliminary = z.literal(true).optional();

/**
 * Observation.status `unknown` (observation-status in DSTU2, STU3 and R4: "the authoring system does
 * not know which of the status values currently applies"): the EHR cannot say whether the reading is
 * final, preliminary or withdrawn. It is shown, marked as a preliminary one is ("status unknown" beside
 * the value), never as a plain result. Absent otherwise.
 */
export const statusUnknown = z.literal(true).optional();

/**
 * The reading is dated after the patient's death (its earliest possible time after the latest the
 * date of death, Patient.deceasedDateTime, allows; DSTU2, STU3 and R4): almost always a data error
 * (a reading filed on the wrong patient, or a wrong date). It is still shown, and still counts as
 * its kind's latest, so nothing is hidden, but marked "dated after death: check in EHR" in the list,
 * the details, the details' history (the trend) and the CSV, never as a plain current value
 * (server/ehr/clinical/after-death.ts).
 * Absent otherwise, and when the EHR gives no date of death.
 */
export const afterDeath = z.literal(true).optional();

/**
 * The reading is dated in the future: its earliest possible time more than 5 minutes (the clock
 * skew allowed, server/ehr/clinical/future.ts) after the server's now; DSTU2, STU3 and R4. Such a
 * reading is its kind's latest only when the kind has no reading that is not; it is then still
 * shown, marked "dated in the future: check in EHR" in the list, the details and the CSV, never as
 * a plain current value (nor as stale). Every such reading of the details' history (the trend) is
 * marked so too. Absent otherwise.
 */
export const future = z.literal(true).optional();

/**
 * The value of a reading the EHR recorded but the app cannot read (Observation.value[x] not a Quantity
 * with a number: valueString "148", valueCodeableConcept, a Quantity without `value` or with an
 * unknown comparator, no value at all; DSTU2, STU3 and R4): `value` null. Such a reading is its kind's
 * latest only when the kind has no reading that can be read, and the cell then reads "not available",
 * never "none recorded": the EHR has a record of it. Never in a trend.
 */
export const unreadableMeasurement = z.object({ value: z.null(), unit: z.literal(''), comparator: z.never().optional() });
export type UnreadableMeasurement = z.infer<typeof unreadableMeasurement>;

/** A reading the EHR recorded whose value cannot be read: an unreadableMeasurement, or a blood pressure with neither half. */
export const unreadableReading = (v: { value?: { value: number | null }; systolic?: unknown; diastolic?: unknown }): boolean =>
  'systolic' in v || 'diastolic' in v ? !v.systolic && !v.diastolic : typeof v.value?.value !== 'number';

/**
 * What the EHR itself says of the reading (Observation.interpretation, HL7 v2 table 0078 codes:
 * H/HU high, HH critical high, L/LU low, LL critical low, A abnormal, AA critical abnormal; the
 * most severe when it gives several; server/ehr/clinical/interpretation.ts). Absent for N (normal),
 * for none and for codes not read. The tab shows it, as the EHR's, when the app's NEWS2 flag is
 * absent or less severe. For blood pressure: the most severe of the panel's and its halves'.
 */
export const interpretation = z.enum(VITAL_INTERPRETATIONS).optional();

/**
 * The supplemental oxygen an SpO2 reading was taken on (server/ehr/clinical/oxygen.ts): the flow
 * (L/min) and the inhaled concentration (%), either or both. Absent on room air and when the EHR
 * does not say; never on another kind. The list, details and CSV say it beside the saturation.
 */
export const supplementalOxygen = z.object({ flow: measurement.optional(), concentration: measurement.optional() });
export type SupplementalOxygen = z.infer<typeof supplementalOxygen>;

/**
 * A vital sign's latest reading in a list cell (the column names the kind). `time`: when the value
 * holds, Observation.effective[x] (for an effectivePeriod its end, else its start: server/ehr/clinical/vitals.ts);
 * null when the EHR gave none.
 */
export const vitalValue = z.object({
  time: when.nullable(),
  value: z.union([measurement, unreadableMeasurement]),
  qualified,
  preliminary,
  statusUnknown,
  afterDeath,
  future,
  interpretation,
  oxygen: supplementalOxygen.optional(),
});
export type VitalValue = z.infer<typeof vitalValue>;

/**
 * Blood pressure's latest reading: systolic and diastolic, either may be missing; both null: a
 * pressure the EHR recorded that cannot be read ("not available", as unreadableMeasurement). Halves in
 * different units (one not converted to mmHg) are never shown as one pair under one unit.
 */
export const bloodPressureValue = z.object({
  time: when.nullable(),
  systolic: measurement.nullable(),
  diastolic: measurement.nullable(),
  qualified,
  preliminary,
  statusUnknown,
  afterDeath,
  future,
  interpretation,
});
export type BloodPressureValue = z.infer<typeof bloodPressureValue>;

/**
 * Where the patient is: the location's displays joined, and room and bed when known. `onLeave`: the
 * stay's status is `onleave` (Encounter.status, DSTU2, STU3 and R4): the place is kept, and the list,
 * details and CSV say "on leave" beside it. Absent otherwise (and from older answers).
 */
export const locationValue = z.object({
  location: z.string().nullable(),
  room: z.string().nullable(),
  bed: z.string().nullable(),
  onLeave: z.literal(true).optional(),
  qualified,
});
export type LocationValue = z.infer<typeof locationValue>;

/** What a list cell carries of each condition, allergy, medication and coverage (the details route has the whole record). */
/** `verification`: only for a record the EHR has not confirmed (see unconfirmedVerifications), which the list says beside it. */
const verification = z.enum(unconfirmedVerifications).optional();
export const conditionItem = z.object({ display: z.string().nullable(), clinicalStatus: z.string().nullable(), verification, qualified });
/** `noneKnown`: the record states no known allergy (then it is the cell's only item; the tab reads "No known allergies"). */
export const allergyItem = z.object({
  substance: z.string().nullable(),
  criticality: z.string().nullable(),
  noneKnown: z.literal(true).optional(),
  /** Every current record of the substance is an intolerance (contract AllergyView.intolerance): "Codeine (intolerance)". */
  intolerance: z.literal(true).optional(),
  /** A current record of the substance tells of a severe reaction and none says high criticality: "Peanut (severe reaction)". */
  severeReaction: z.literal(true).optional(),
  verification,
  qualified,
});
/**
 * `intent` `plan` (STU3/R4 MedicationRequest.intent): an intention without authorization, read "Enoxaparin (plan)".
 * `count`: this many different current orders of the drug by that name and status (not the same
 * order listed twice), read "Heparin ×2"; absent for one.
 */
export const medicationItem = z.object({
  name: z.string().nullable(),
  /** See medicationView: a drug named by a reference the app could not read. */
  nameUnavailable: z.literal(true).optional(),
  status: z.string().nullable(),
  intent: z.literal('plan').optional(),
  count: z.number().int().min(2).optional(),
  qualified,
});
/** `selfPay`, `payerPerson`, `payerUnavailable`: see coverageView; without a payer the list reads "Self-pay", "Paid by a related person", "Payer not available" or "Payer not stated", never "?". */
export const coverageItem = z.object({
  payer: z.string().nullable(),
  selfPay: z.boolean().optional(),
  payerPerson: z.literal(true).optional(),
  payerUnavailable: z.literal(true).optional(),
  plan: z.string().nullable(),
  qualified,
});
export type ConditionItem = z.infer<typeof conditionItem>;
export type AllergyItem = z.infer<typeof allergyItem>;
export type MedicationItem = z.infer<typeof medicationItem>;
export type CoverageItem = z.infer<typeof coverageItem>;

/** A Manual-mode team field's value: text, a number, yes/no, or a person (`{id, name}`). */
export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.object({ id: z.string(), name: z.string() })]);

const vitalCell = cellOf(vitalValue);

/** The cell of each column beyond name, MRN, birth date and gender (those sit on the row itself). */
export const columnCells = {
  location: cellOf(locationValue),
  admissionDate: cellOf(when),
  heartRate: vitalCell,
  bloodPressure: cellOf(bloodPressureValue),
  respiratoryRate: vitalCell,
  temperature: vitalCell,
  spo2: vitalCell,
  weight: vitalCell,
  height: vitalCell,
  bmi: vitalCell,
  conditions: cellOf(z.array(conditionItem).min(1)),
  allergies: cellOf(z.array(allergyItem).min(1)),
  medications: cellOf(z.array(medicationItem).min(1)),
  coverage: cellOf(z.array(coverageItem).min(1)),
  careProvider: cellOf(z.string()),
  latestNote: cellOf(note),
} satisfies Partial<Record<(typeof listColumns)[number], z.ZodType>>;

/** A Manual-mode `field:<id>` column's cell. */
export const fieldCell = cellOf(fieldValueSchema);

/**
 * A row's cells, by column: one for each column of the list beyond the summary ones. A key of a
 * built-in column must hold that column's cell; any other key is a `field:<id>` column.
 */
export const rowCells = z
  .object(
    Object.fromEntries(Object.entries(columnCells).map(([column, cell]) => [column, cell.optional()])) as {
      [K in keyof typeof columnCells]: z.ZodOptional<(typeof columnCells)[K]>;
    },
  )
  .catchall(fieldCell)
  .superRefine((cells, ctx) => {
    for (const key of Object.keys(cells)) {
      if (!(key in columnCells) && !key.startsWith('field:')) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a column with a cell' });
    }
  });
export type RowCells = z.infer<typeof rowCells>;

/** Any cell, whatever its column. */
export type ListCell = RowCells[keyof RowCells];
