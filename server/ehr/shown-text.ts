import { hasHiddenCharacter, withoutHiddenCharacters } from '../../contract/shared-text.js';

/**
 * Text an EHR sends is shown to clinicians and written to exports as its characters read, never
 * reordered or hidden by characters no one sees: by the rule text a team types is refused by
 * (contract/shared-text.ts: control, format and other default ignorable characters, line and
 * paragraph separators, half a surrogate pair). Bidirectional controls would reorder a family name,
 * an MRN or a dose; invisible characters make two names or MRNs that look alike differ; control
 * characters ring, colour or move a terminal. Text an EHR sends cannot be refused: such characters
 * are taken out, each control character (but tab, line feed and carriage return) reading as a
 * space, once, where the answer is parsed (answer-json.ts), whichever element they are in. The
 * joiners, variation selectors and the tags of a flag stay: scripts and emoji need them.
 */

/** Any JSON escape that may stand for such a character (a raw C0 control is not valid JSON). */
const HIDDEN_ESCAPE = /\\u|\\[bf]/;
const CONTROL_CHARACTERS = /(?![\t\n\r])\p{Cc}/gu;

/** JSON.parse of an EHR answer, with every string value it holds as shownText gives it. */
export function parseEhrJson(text: string): unknown {
  // One scan of the text first: answers nearly never hold such characters, and parse at full speed.
  if (!HIDDEN_ESCAPE.test(text) && !hasHiddenCharacter(text, true)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? shownText(value) : value)) as unknown;
}

/** The text without hidden characters, each control character a space. */
export function shownText(text: string): string {
  return withoutHiddenCharacters(text.replace(CONTROL_CHARACTERS, ' '));
}
