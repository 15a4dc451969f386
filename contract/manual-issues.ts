import { z } from 'zod';

/**
 * Why the server refused a team field's value, as a code with what the words need (the range, the
 * choices), so the tab can say it in the user's language; the problem's message says it in English.
 * Carried in `issues` of a 400 `validation_failed` answer to a save of a hand-entered patient, and
 * of each row of an import's preview. `field` is a team field's id or a built-in one (`name`,
 * `mrn`, `birthDate`, `gender`, `room`).
 */
export const fieldIssueCodes = [
  'required',
  'unknown_field',
  'not_number',
  'below_min',
  'above_max',
  'not_date',
  // A birth date after today.
  'future_date',
  'not_date_time',
  'not_yes_no',
  'not_member',
  'not_choice',
  'too_long',
  // Text with invisible bidirectional controls that could show colleagues its words reordered (plain-constants.ts).
  'direction_controls',
  // Text with control characters or invisible ones (a zero width space, a soft hyphen; contract/shared-text.ts).
  'hidden_characters',
  // An import's rows: a person's name that fits several members, and MRNs the team or the file already has
  // (the team's MRNs also refuse a patient typed in, or an MRN changed, in the patient form).
  'ambiguous_member',
  'mrn_in_team',
  'mrn_discharged',
  'mrn_repeated',
] as const;

export const fieldIssue = z.object({
  /** The id of the team's field (`diagnosis`), as the schema and `values` name it. */
  field: z.string(),
  code: z.enum(fieldIssueCodes),
  /** Numbers: the field's range and unit, whichever it has. `too_long`: the most characters. */
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().optional(),
  /** `not_choice`: the field's choices. */
  choices: z.array(z.string()).optional(),
  /** An import's cell as the file has it (a date that is not one, a person's name, an MRN). */
  value: z.string().optional(),
  /** `mrn_repeated`: the row of the file that has the MRN first. */
  row: z.number().int().optional(),
});
export type FieldIssue = z.infer<typeof fieldIssue>;
