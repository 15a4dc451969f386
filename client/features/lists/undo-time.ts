/** How long a removal or a move can be undone. */
export const UNDO_MS = 10_000;
