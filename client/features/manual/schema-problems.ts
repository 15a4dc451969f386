import { t } from '../../shared/i18n/t';
import type { SchemaField } from '../../../contract/manual';

/**
 * What is wrong with the team's fields before they are saved, in the user's language: each field
 * named by its label (or its place, "Field 3", while it has none) with what to do. The server
 * checks the same rules again for API callers, in English.
 */
export function schemaProblems(fields: readonly SchemaField[]): string[] {
  const problems: string[] = [];
  fields.forEach((field, i) => {
    const name = field.label.trim() || t('manual.problem.fieldNumber', { n: i + 1 });
    if (!field.label.trim()) problems.push(t('manual.problem.fieldLabel', { field: name }));
    else if (field.label.trim().length > 100) problems.push(t('manual.problem.tooLong', { field: name, max: 100 }));
    if (field.type === 'choice') {
      const choices = field.choices ?? [];
      if (choices.length === 0) problems.push(t('manual.problem.choices', { field: name }));
      else if (new Set(choices).size !== choices.length) problems.push(t('manual.problem.choicesRepeat', { field: name }));
    }
    if (field.type === 'number') {
      if ([field.min, field.max].some((n) => n !== undefined && !Number.isFinite(n))) problems.push(t('manual.problem.bounds', { field: name }));
      else if (field.min !== undefined && field.max !== undefined && field.min > field.max) problems.push(t('manual.problem.range', { field: name }));
    }
  });
  return problems;
}
