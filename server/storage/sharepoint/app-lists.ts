import { SEAL_COLUMN } from './row-seal.js';

/**
 * The SharePoint lists the app keeps in a team's site, readable in the Microsoft Lists app:
 * one list per patient list ("Patients – Rounds", a row per patient) and lists of its
 * own. Column definitions use the Graph v1.0 `columnDefinition` facets; columns that are
 * filtered on are indexed so that queries keep working past the 5,000-item view threshold.
 */
export interface ColumnDefinition {
  name: string;
  displayName: string;
  indexed?: boolean;
  /** Left out of the list's forms and views (the app's own seal). */
  hidden?: boolean;
  text?: { allowMultipleLines?: boolean; textType?: 'plain' };
  number?: Record<string, never>;
  dateTime?: { format: 'dateTime' };
}

export interface ListSchema {
  displayName: string;
  description: string;
  columns: ColumnDefinition[];
}

const text = (name: string, displayName: string, indexed = false): ColumnDefinition => ({
  name,
  displayName,
  text: {},
  ...(indexed ? { indexed: true } : {}),
});
const longText = (name: string, displayName: string): ColumnDefinition => ({
  name,
  displayName,
  text: { allowMultipleLines: true, textType: 'plain' },
});
/**
 * The app's seal of what it vouches for in the row (row-seal.ts, sealed-lists.ts): hidden in the
 * list's forms and views. Lists made before get it on first use (ensureColumns).
 */
const seal: ColumnDefinition = { name: SEAL_COLUMN, displayName: 'App seal (do not edit)', hidden: true, text: {} };
const when = (name: string, displayName: string): ColumnDefinition => ({ name, displayName, dateTime: { format: 'dateTime' } });

export const appLists = {
  /** A row per patient list: Title is its name; ListId the id of its SharePoint list. */
  catalog: {
    displayName: 'Patients app – lists',
    description: 'The patient lists of this team, kept by the Patients app. Edit with care.',
    columns: [
      text('ListId', 'SharePoint list id', true),
      text('Columns', 'Columns shown'),
      { name: 'Version', displayName: 'Version', number: {} },
      text('CreatedBy', 'Created by (user id)'),
      when('CreatedAt', 'Created at'),
      // Set while a delete is under way (the app no longer shows the list). A row left marked is
      // settled by a later catalog read: removed when its SharePoint list is gone, else shown again.
      when('DeletePendingAt', 'Delete pending since'),
    ],
  },
  /** The team's settings; Title names the setting ("Connection"), Value holds it as JSON. */
  settings: {
    displayName: 'Patients app – settings',
    description: 'Settings of the Patients app for this team. Change them in the app.',
    columns: [
      longText('Value', 'Value'),
      { name: 'Version', displayName: 'Version', number: {} },
      text('UpdatedBy', 'Updated by (user id)'),
      when('UpdatedAt', 'Updated at'),
      seal,
    ],
  },
  /** Team notes on patients; Title is the patient id. */
  notes: {
    displayName: 'Patients app – notes',
    description: 'Notes of this team on patients, kept by the Patients app.',
    columns: [
      text('PatientId', 'Patient id', true),
      text('NoteId', 'Note id'),
      text('AuthorId', 'Author (user id)'),
      text('AuthorName', 'Author'),
      longText('NoteText', 'Note'),
      when('CreatedAt', 'Written at'),
      // Added for corrections: lists made before get them on first use (ensureColumns), and a row without them is version 1, never edited.
      { name: 'Version', displayName: 'Version', number: {} },
      when('EditedAt', 'Corrected at'),
      when('WithdrawnAt', 'Withdrawn at'),
      longText('Revisions', 'Earlier texts (JSON)'),
      seal,
    ],
  },
  /** Manual-mode patients typed in by the team; Title is the name, Values the team's own fields as JSON. */
  manualPatients: {
    displayName: 'Patients app – manual patients',
    description: 'Patients entered by hand in the Patients app (Manual mode).',
    columns: [
      text('PatientId', 'Patient id', true),
      text('Mrn', 'MRN'),
      text('BirthDate', 'Birth date'),
      text('Gender', 'Gender'),
      text('Room', 'Room'),
      longText('Values', 'Other fields (JSON)'),
      { name: 'Version', displayName: 'Version', number: {} },
      text('CreatedBy', 'Created by (user id)'),
      when('CreatedAt', 'Created at'),
      // Added for discharge: lists made before get them on first use (ensureColumns); a row without them is admitted.
      when('DischargedAt', 'Discharged at'),
      text('DischargedBy', 'Discharged by (user id)'),
      text('DischargedByName', 'Discharged by'),
      seal,
    ],
  },
  /** Each user's default list; Title is the user id. */
  defaults: {
    displayName: 'Patients app – default lists',
    description: "Each team member's default patient list in the Patients app.",
    columns: [text('UserId', 'User id', true), text('ListId', 'Default list id'), seal],
  },
} satisfies Record<string, ListSchema>;

export type AppListKind = keyof typeof appLists;

/** The columns of each patient list; Title is the patient id. */
export const patientListColumns: ColumnDefinition[] = [
  text('PatientId', 'Patient id', true),
  text('AddedBy', 'Added by (user id)'),
  when('AddedAt', 'Added at'),
];

/** SharePoint list titles are at most 255 characters. */
export function patientListTitle(name: string, attempt: number): string {
  const suffix = attempt > 1 ? ` (${attempt})` : '';
  return `Patients – ${name}`.slice(0, 255 - suffix.length) + suffix;
}
