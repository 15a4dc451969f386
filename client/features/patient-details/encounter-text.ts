import { dateText, showCell } from '../../shared/cells';
import { codeLabel } from '../../shared/format';
import type { EncounterView } from '../../../contract/patients';

const line = (...parts: (string | null | undefined | false | 0)[]) => parts.filter(Boolean).join(' · ');

/** An encounter's room and bed in the active language, then the rest of its location ("on leave" beside it when the patient is). */
function placeText(encounter: EncounterView): string {
  const shown = showCell('location', { status: 'ok', value: encounter });
  return shown.status === 'ok' ? [shown.text, shown.detail].filter(Boolean).join(', ') : '';
}

/**
 * A stay as the details list it: its kind and place, then its dates, class and status. A stay on
 * leave says so with its place, so its status is not said a second time.
 */
export function encounterText(e: EncounterView): { title: string; detail: string } {
  return {
    title: line(e.type, placeText(e)) || '?',
    detail: line(e.start && `${dateText(e.start)}${e.end ? ` – ${dateText(e.end)}` : ''}`, codeLabel(e.class), !e.onLeave && codeLabel(e.status)),
  };
}
