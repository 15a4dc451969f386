import type { AllergyView, ConditionView } from '../../../contract/patients';
import { dateText } from '../../shared/cells';
import { codeLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';

/**
 * What the details say of a condition beside its name, each date named for what it is: severity,
 * onset, the date it was recorded (when it differs from the onset), its status, when it abated,
 * its verification. A condition without a clinicalStatus (DSTU2 and STU3 may leave it out) that is
 * not current reads "abated" (with its date) or "not current", never as a status left blank.
 */
export function conditionFacts(c: ConditionView): string[] {
  const onset = dateText(c.onset);
  const recorded = dateText(c.date);
  const abated = c.abated === undefined ? '' : c.abated === true ? t('details.abated') : t('details.abatedOn', { date: dateText(c.abated) });
  return [
    c.severity ? t('details.severity', { value: codeLabel(c.severity) }) : '',
    onset ? t('details.onset', { date: onset }) : '',
    recorded && recorded !== onset ? t('details.recorded', { date: recorded }) : '',
    c.clinicalStatus ? codeLabel(c.clinicalStatus) : !c.current && !abated ? t('details.notCurrent') : '',
    abated,
    codeLabel(c.verificationStatus),
  ].filter((fact) => fact !== '');
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
