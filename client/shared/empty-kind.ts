import { unavailableReasons, type UnavailableReason } from '../../contract/plain-constants';
import type { MessageKey } from './i18n/en';

/** Why a cell is empty: "none recorded", or "not available" for one of the contract's reasons, or a value the tab could not read. */
export type EmptyKind = 'none' | UnavailableReason | 'unreadable';

const isReason = (x: unknown): x is UnavailableReason => typeof x === 'string' && (unavailableReasons as readonly string[]).includes(x);

/**
 * What kind of empty a shown cell is, from its status and the cell as sent: null for a cell with
 * data. A "not available" cell names the reason it carries; one whose value the tab could not
 * read (an unknown shape, an unknown column) is `unreadable`.
 */
export function emptyKind(status: 'ok' | 'none' | 'unavailable', sent: unknown): EmptyKind | null {
  if (status === 'ok') return null;
  if (status === 'none') return 'none';
  const reason = typeof sent === 'object' && sent !== null && 'reason' in sent ? sent.reason : undefined;
  return (sent as { status?: unknown } | null)?.status === 'unavailable' && isReason(reason) ? reason : 'unreadable';
}

/** The sentence that explains an empty cell on hover or focus. */
export const emptyHint = (kind: EmptyKind): MessageKey => `cellHint.${kind}`;
