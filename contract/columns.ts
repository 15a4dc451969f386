/** The columns a list can show, in the product's order; each list picks its own set and order. */
export const listColumns = [
  'name',
  'mrn',
  'birthDate',
  'gender',
  'location',
  'admissionDate',
  'heartRate',
  'bloodPressure',
  'respiratoryRate',
  'temperature',
  'spo2',
  'weight',
  'height',
  'bmi',
  'conditions',
  'allergies',
  'medications',
  'coverage',
  'careProvider',
  'latestNote',
] as const;

/** A built-in column, or `field:<id>` for a Manual-mode team's own field. */
export type ListColumn = (typeof listColumns)[number] | `field:${string}`;

export const fieldColumn = /^field:[a-z][a-zA-Z0-9_]{0,39}$/;

export const defaultColumns: ListColumn[] = ['name', 'mrn', 'birthDate', 'gender'];

/** The clinical columns only an EHR fills; in Manual mode they show as "not offered". */
export const ehrOnlyColumns: ReadonlySet<ListColumn> = new Set<ListColumn>(
  // Everything but the patient summary, the room (Manual mode keeps one) and the team's own note.
  listColumns.filter((c) => !['name', 'mrn', 'birthDate', 'gender', 'location', 'latestNote'].includes(c)),
);

/** At most this many columns on one list (every built-in column plus a Manual schema's 30 fields). */
export const maxListColumns = listColumns.length + 30;
