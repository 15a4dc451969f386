import type { ConditionView } from '../../../contract/patients';
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
