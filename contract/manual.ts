/** A field a team adds to its Manual-mode patients, beside the built-in ones. */
export interface SchemaField {
  id: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'choice';
  choices?: string[];
  required?: boolean;
}

export interface ManualSchema {
  fields: SchemaField[];
  version: number;
}

/** The built-in fields every Manual-mode patient has. */
export interface ManualPatientData {
  name: string;
  mrn: string | null;
  birthDate: string | null;
  gender: 'male' | 'female' | 'other' | 'unknown' | null;
  room: string | null;
  /** Values of the team's own fields, by field id. */
  values: Record<string, string | number>;
}

export interface ManualPatient extends ManualPatientData {
  id: string;
  version: number;
}

/** The built-in fields of every Manual-mode patient: no team field may take their ids. */
export const builtInFieldIds = ['name', 'mrn', 'birthDate', 'gender', 'room'] as const;

/**
 * Names plain JavaScript objects already carry (`constructor`, `toString`, `__proto__`…): a field
 * id or value key with one of these names would read an inherited property, or set the prototype.
 */
export const objectPropertyNames: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/**
 * A patient's values by field id, read as own properties only: a key such as `constructor`
 * that the patient has no value for is undefined, never Object.prototype's.
 */
export function fieldValue(values: ManualPatientData['values'], id: string): string | number | undefined {
  return Object.hasOwn(values, id) ? values[id] : undefined;
}
