import type { ChoiceColour, FieldType, SchemaField } from '../../contract/manual';

/**
 * A Manual-mode team field as a list answer names it, read leniently. Apart from field-cells.ts,
 * which shows the fields' cells, so that reading a list answer in the tab's first download does not
 * bring the cells' formatting with it. Type-only imports of the contract: no zod in the tab.
 */

/** What a list needs of a team field (the list answer's `fields`, read leniently). */
export type ListField = Pick<SchemaField, 'id' | 'label' | 'type' | 'choices' | 'colours' | 'unit'>;

const fieldTypes: readonly FieldType[] = ['text', 'longText', 'number', 'date', 'dateTime', 'choice', 'yesNo', 'person'];
const colours: readonly ChoiceColour[] = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple'];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The `fields` of a list answer: undefined for an EHR team's list; fields of a shape the tab does not know are left out. */
export function readListFields(raw: unknown): ListField[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.flatMap((f): ListField[] => {
    if (!isObject(f) || typeof f.id !== 'string' || typeof f.label !== 'string' || !fieldTypes.includes(f.type as FieldType)) return [];
    const choices = Array.isArray(f.choices) ? f.choices.filter((c): c is string => typeof c === 'string') : undefined;
    const named = isObject(f.colours)
      ? Object.entries(f.colours).filter((e): e is [string, ChoiceColour] => colours.includes(e[1] as ChoiceColour))
      : [];
    return [
      {
        id: f.id,
        label: f.label,
        type: f.type as FieldType,
        ...(choices ? { choices } : {}),
        ...(named.length ? { colours: Object.fromEntries(named) } : {}),
        ...(typeof f.unit === 'string' ? { unit: f.unit } : {}),
      },
    ];
  });
}
