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

export interface ManualPatient {
  id: string;
  name: string;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  room: string | null;
  values: Record<string, string | number>;
  version: number;
}
