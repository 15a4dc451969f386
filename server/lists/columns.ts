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

export type ListColumn = (typeof listColumns)[number];

export const defaultColumns: ListColumn[] = ['name', 'mrn', 'birthDate', 'gender'];
