import { mrnKey, quoted, type ManualPatient } from '../../../contract/manual.js';
import type { FieldIssue } from '../../../contract/manual-issues.js';

/**
 * Why `mrn` cannot be a new or changed patient's: a patient of the team holds it (admitted, or
 * discharged, who is re-admitted instead), with the English words and the patient it names; or
 * null. `self` is the patient being edited, who may keep their own MRN.
 */
export function takenMrn(
  mrn: string | null | undefined,
  admitted: readonly ManualPatient[],
  discharged: readonly ManualPatient[],
  self?: string,
): { issue: FieldIssue; words: string; holder: string } | null {
  const key = mrnKey(mrn);
  if (!key || !mrn) return null;
  const holderIn = (patients: readonly ManualPatient[]) => patients.find((p) => p.id !== self && mrnKey(p.mrn) === key);
  const admittedHolder = holderIn(admitted);
  if (admittedHolder)
    return {
      issue: { field: 'mrn', code: 'mrn_in_team', value: mrn },
      words: `A patient with MRN ${quoted(mrn)} is already in the team; open them instead of entering them again.`,
      holder: admittedHolder.id,
    };
  const dischargedHolder = holderIn(discharged);
  if (dischargedHolder)
    return {
      issue: { field: 'mrn', code: 'mrn_discharged', value: mrn },
      words: `A discharged patient with MRN ${quoted(mrn)} is in the team; re-admit them instead of entering them again.`,
      holder: dischargedHolder.id,
    };
  return null;
}
