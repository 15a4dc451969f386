import { ApiError } from './api/api-client';
import { errorText } from './error-text';
import type { MessageKey } from './i18n/en';
import { t } from './i18n/t';
import { lookupTable } from '../../contract/lookup-table';

/**
 * What a change to a list (remove, move, add, rename, columns) met when a colleague had changed
 * the list first, by problem code (contract/errors.ts, as the lists routes answer): the list
 * changed under it (a stale version), the patient is no longer on it, the list was deleted, the
 * list a patient was moved to was deleted, or too many people are changing it at once. The tab
 * reads the list again on any of these and says which it was.
 */
const wordsOfCode: Record<string, MessageKey> = lookupTable({
  version_conflict: 'lists.colleagueChanged',
  precondition_failed: 'lists.colleagueChanged',
  patient_not_on_list: 'lists.patientGone',
  list_not_found: 'lists.listGone',
  too_much_contention: 'error.tooMuchContention',
});

/**
 * The words for what a colleague's change did to a failed change of a list, or null when the
 * failure is not one. `moveTargetGone`: a move's `list_not_found` once the list moved from is known
 * to be there still (the server names either list missing the same way), so the list moved to went.
 */
export function listChangeOf(error: unknown, moveTargetGone = false): MessageKey | null {
  if (!(error instanceof ApiError) || !Object.hasOwn(wordsOfCode, error.code)) return null;
  return moveTargetGone && error.code === 'list_not_found' ? 'lists.targetGone' : wordsOfCode[error.code];
}

/** What to tell the user about a failed change of a list: what a colleague did, in the tab's words, else the error's. */
export function listChangeText(error: unknown, moveTargetGone = false): string {
  const key = listChangeOf(error, moveTargetGone);
  return key ? t(key) : errorText(error);
}
