import { INVISIBLE_CHARACTERS } from '../../contract/shared-text.js';

/**
 * Text an EHR sends is shown to clinicians and written to exports as its characters read, never
 * reordered or hidden by characters no one sees. Unicode's bidirectional controls (the Bidi_Control
 * property: the marks U+061C, U+200E, U+200F and the embedding, override and isolate controls
 * U+202A–U+202E, U+2066–U+2069) reorder the text around them: a family name, an MRN or a dose could
 * show as another; control characters (C0 but tab, line feed and carriage return; DEL;
 * C1) ring, colour or move a terminal and say nothing to a reader; invisible characters (U+200B
 * zero width space, U+2060 word joiner, U+FEFF, U+00AD soft hyphen, U+180E) make two names or MRNs
 * that look alike differ. Text a team types is refused with them (contract/shared-text.ts); text
 * an EHR sends cannot be refused, so the direction controls and invisible characters are taken
 * out and each control character reads as a space, once, where the answer is parsed
 * (fhir-http.ts), whichever element they are in. U+200C and U+200D stay: scripts and emoji need them.
 */

/** Anything that parses to one of these characters: raw, or as a JSON escape. Raw C0 controls are not valid JSON. */
const MAY_HOLD_HIDDEN =
  /[\u007f-\u009f\u00ad\u180e\u200b\u2060\ufeff\p{Bidi_Control}]|\\u(?:000[0-8bBcCeEfF]|001[0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|00[aA][dD]|061[cC]|180[eE]|200[bBeEfF]|2060|202[a-eA-E]|206[6-9]|[fF][eE][fF][fF])|\\[bf]/u;
/** Direction controls and invisible characters: taken out. */
const HIDDEN = new RegExp(`[\\p{Bidi_Control}${INVISIBLE_CHARACTERS}]`, 'gu');
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** JSON.parse of an EHR answer, with every string value it holds as shownText gives it. */
export function parseEhrJson(text: string): unknown {
  // One scan of the text first: answers nearly never hold such characters, and parse at full speed.
  if (!MAY_HOLD_HIDDEN.test(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? shownText(value) : value)) as unknown;
}

/** The text without direction controls and invisible characters, each control character a space. */
export function shownText(text: string): string {
  return text.replace(HIDDEN, '').replace(CONTROL_CHARACTERS, ' ');
}
