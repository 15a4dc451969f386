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
