import type { AgeValue, AllergyView, ConditionView } from '../../../contract/patients';
import { boundText, dateText } from '../../shared/cells';
import { codeLabel, numberText, unitFormat } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { lookupTable } from '../../../contract/lookup-table';

/**
 * What the details say of a condition beside its name, each date named for what it is: severity,
 * onset, the date it was recorded (when it differs from the onset), its status, when it abated,
 * its verification. A condition without a clinicalStatus (DSTU2 and STU3 may leave it out) that is
 * not current reads "abated" (with its date) or "not current", never as a status left blank.
 * Verification `unknown` (DSTU2 and STU3: "not enough information to determine the certainty
 * status") reads "verification unknown", never a bare "unknown" beside the clinical status.
 */
export function conditionFacts(c: ConditionView): string[] {
  const onset = dateText(c.onset);
  const recorded = dateText(c.date);
  const abated = c.abated === undefined ? '' : c.abated === true ? t('details.abated') : t('details.abatedOn', { date: dateText(c.abated) });
  return [
    c.severity ? t('details.severity', { value: codeLabel(c.severity) }) : '',
    onsetFact(c),
    recorded && recorded !== onset ? t('details.recorded', { date: recorded }) : '',
    c.clinicalStatus ? codeLabel(c.clinicalStatus) : !c.current && !abated ? t('details.notCurrent') : '',
    abated,
    c.verificationStatus === 'unknown' ? t('details.verificationUnknown') : codeLabel(c.verificationStatus),
  ].filter((fact) => fact !== '');
}

/** The Age units (UCUM, value set age-units) as Intl's units, which say them in the user's language. */
const INTL_UNITS: Readonly<Record<string, string>> = lookupTable({ a: 'year', mo: 'month', wk: 'week', d: 'day', h: 'hour', min: 'minute' });
const intlUnit = (unit: string | null) => (unit !== null && Object.hasOwn(INTL_UNITS, unit) ? INTL_UNITS[unit] : undefined);

/** An age in the user's language ("45 years", "45 лет", "<5 years"); a unit that is none of the Age units in the EHR's words. */
function ageText(age: AgeValue): string {
  const unit = intlUnit(age.unit);
  return boundText(age, (n) => (unit ? unitFormat(unit).format(n) : `${numberText(n)}${age.unit ? ` ${age.unit}` : ''}`));
}

/**
 * A condition's onset in words. Condition.onset[x] is a date, a period (its start), an age, a range
 * of ages or words (DSTU2 dateTime | Quantity(Age) | Period | Range | string; STU3 and R4 dateTime |
 * Age | Period | Range | string): "onset Mar 1, 2020", "onset at age 45 years", "onset at age
 * 40–50 years" (or "≥40 years" with one bound), "onset: childhood".
 */
function onsetFact(c: ConditionView): string {
  const date = dateText(c.onset);
  if (date) return t('details.onset', { date });
  if (c.onsetAge) return t('details.onsetAge', { age: ageText(c.onsetAge) });
  const range = c.onsetAgeRange;
  if (range) {
    const { low, high } = range;
    const age =
      low && high
        ? low.unit === high.unit && intlUnit(low.unit)
          ? unitFormat(intlUnit(low.unit)!).formatRange(low.value, high.value)
          : `${ageText(low)}–${ageText(high)}`
        : low
          ? `≥${ageText(low)}`
          : `≤${ageText(high!)}`;
    return t('details.onsetAge', { age });
  }
  return c.onsetWords ? t('details.onsetWords', { words: c.onsetWords }) : '';
}

/**
 * An allergy's dates in the details, each named: onset, recorded (when it differs from the onset),
 * the last reaction (lastOccurrence), so a reaction last week never hides behind a date of 2001.
 */
export function allergyDates(a: AllergyView): string[] {
  const onset = dateText(a.onset);
  // Older servers send only `date` (recorded, else onset), said as recorded.
  const recorded = a.recorded !== undefined ? dateText(a.recorded) : a.onset === undefined ? dateText(a.date) : '';
  const last = dateText(a.lastReaction);
  return [
    onset ? t('details.onset', { date: onset }) : '',
    recorded && recorded !== onset ? t('details.recorded', { date: recorded }) : '',
    last ? t('details.lastReaction', { date: last }) : '',
  ].filter((fact) => fact !== '');
}
