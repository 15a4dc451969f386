// The elements of the open list that focus goes back to (client/shared/focus-when-lost.ts).

/** The name button of the patient `name`'s row in the open list. */
export const rowButton = (name: string) => () =>
  [...document.querySelectorAll<HTMLElement>('table button')].find((b) => b.textContent?.trim() === name);

/** A control marked `data-return` (Columns, Rename), drawn anew perhaps. */
export const marked = (which: string) => () => document.querySelector<HTMLElement>(`[data-return="${which}"]`);

/** The list picker (after the open list was deleted). */
export const listPicker = () => document.querySelector<HTMLElement>('section[aria-labelledby="lists-title"] select');
