import { z } from 'zod';
import { DIRECTION_CONTROLS_MESSAGE, hasDirectionControls } from './direction-controls.js';

/**
 * Invisible characters an EHR's text is shown without, as the inside of a regular expression's
 * character class (server/ehr/shown-text.ts; its byte pre-scan, server/ehr/answer-json.ts, looks
 * for the same): U+200B zero width space, U+2060 word joiner, U+FEFF, U+00AD soft hyphen and
 * U+180E Mongolian vowel separator.
 */
export const INVISIBLE_CHARACTERS = '\\u00ad\\u180e\\u200b\\u2060\\ufeff';

/**
 * Characters no reader sees that typed text must not carry: they would reach storage and exports
 * as they are (a NUL, an ESC that recolours a terminal, a BEL), or make two texts that look alike
 * differ ("Wa\u200Brd" is not "Ward", an MRN "E\u20631" is not "E1"). By Unicode property, so no
 * one of a kind slips through: control characters (Cc; tab, line feed and carriage return only in
 * text of several lines), format characters (Cf: U+200B, U+2060–U+2064, U+FEFF, U+00AD, tag
 * characters…), line and paragraph separators (Zl, Zp), the other default ignorable code points
 * (U+034F, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, U+17B4, U+17B5, U+180E), and half of
 * a surrogate pair (no character at all: a store writes it as U+FFFD, so what is kept would differ
 * from what was confirmed). Kept: U+200C and U+200D (zero width non-joiner and joiner: Persian and
 * Indic scripts and emoji need them), variation selectors (emoji and CJK variants, Mongolian free
 * variation selectors), and tag characters in an emoji tag sequence (the flags of England,
 * Scotland and Wales).
 */
const HIDDEN_IN_LINES = /(?![\t\n\r\u200c\u200d\p{Variation_Selector}])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
const HIDDEN_IN_ONE_LINE = /(?![\u200c\u200d\p{Variation_Selector}])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
/** U+1F3F4 waving black flag, tag characters, and U+E007F cancel tag (Unicode's emoji tag sequences, UTS #51 §2.8). */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

/** Whether the text holds a control or invisible character; `lines`: tab, line feed and carriage return are allowed. */
export const hasHiddenCharacter = (text: string, lines = false) => {
  const hidden = lines ? HIDDEN_IN_LINES : HIDDEN_IN_ONE_LINE;
  return hidden.test(text) && hidden.test(text.replace(EMOJI_TAG_SEQUENCE, '\u{1F3F4}'));
};
export const HIDDEN_CHARACTER_MESSAGE = 'contains a control character or an invisible character; remove it';

/**
 * Text a person types that colleagues read (list names, notes, field labels, choices and units,
 * the EHR link's name): trimmed, not empty, at most `max` characters, one line unless `lines`
 * (notes), and without invisible direction controls (see hasDirectionControls), which would show
 * colleagues other words than were typed, or other hidden characters (hasHiddenCharacter).
 */
export const sharedText = (max: number, tooLong?: string, { lines = false } = {}) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, tooLong)
    .refine((text) => !hasDirectionControls(text), DIRECTION_CONTROLS_MESSAGE)
    .refine((text) => !hasHiddenCharacter(text, lines), HIDDEN_CHARACTER_MESSAGE);
