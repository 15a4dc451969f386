import type { TeamKey } from '../ports.js';
import type { UnverifiedReason } from '../../../contract/plain-constants.js';
import type { RowIdentity, SealedFields, SealState } from './row-seal.js';

/**
 * What the app seals in each of its lists (row-seal.ts): the fields whose authority it vouches
 * for, which a member could otherwise rewrite in SharePoint to speak for someone else.
 *
 * - A note: who wrote it, its texts (current and earlier), when, and the patient it is on.
 * - A setting ("Connection", "Manual schema"): everything an owner set; only owners may in the app.
 * - A user's default list: whose it is and which list.
 * - A Manual patient's discharge: who discharged them and when (the patient's own data is not
 *   sealed: any member may change it in the app as well).
 *
 * Not sealed, because any member may make the same change in the app: the patient lists' names,
 * columns and rows (the catalog and each list's rows), and a Manual patient's details.
 */
export const sealedFields = {
  notes: [
    ['PatientId', 'text'],
    ['NoteId', 'text'],
    ['AuthorId', 'text'],
    ['AuthorName', 'text'],
    ['NoteText', 'text'],
    ['CreatedAt', 'time'],
    ['Version', 'number'],
    ['EditedAt', 'time'],
    ['WithdrawnAt', 'time'],
    ['Revisions', 'text'],
  ],
  settings: [
    ['Title', 'text'],
    ['Value', 'text'],
    ['Version', 'number'],
    ['UpdatedBy', 'text'],
    ['UpdatedAt', 'time'],
  ],
  defaults: [
    ['UserId', 'text'],
    ['ListId', 'text'],
  ],
  discharge: [
    ['PatientId', 'text'],
    ['DischargedAt', 'time'],
    ['DischargedBy', 'text'],
    ['DischargedByName', 'text'],
  ],
} as const satisfies Record<string, SealedFields>;

/** A sealed row's place: its team, list and key (a note's id, a setting's name, a user id, a patient id). */
export const rowOf = (team: TeamKey, list: keyof typeof sealedFields, key: string): RowIdentity => ({ team, list, key });

/**
 * Who a user is told wrote (or discharged) what a row holds when the app cannot vouch for it:
 * no one, with why (in English for exports; the tab words `reason` in the user's language).
 * Never the name in the row.
 */
export function unverifiedAuthor(state: Exclude<SealState, 'sealed'>): { name: string; reason: UnverifiedReason } {
  return state === 'altered'
    ? { name: '(not verified: changed outside the Patients app)', reason: 'altered' }
    : { name: '(not verified: written before the app sealed its records, or outside the app)', reason: 'unsealed' };
}
