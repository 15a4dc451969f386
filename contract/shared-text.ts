import { z } from 'zod';
import { DIRECTION_CONTROLS_MESSAGE, hasDirectionControls } from './direction-controls.js';

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
 * Scotland and Wales). Text an EHR sends is shown without them (withoutHiddenCharacters).
 */
const HIDDEN_CHARACTER = '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Cs}]';
const hiddenBut = (kept: string) => `(?![${kept}\\u200c\\u200d\\p{Variation_Selector}])${HIDDEN_CHARACTER}`;
const HIDDEN_IN_LINES = new RegExp(hiddenBut('\\t\\n\\r'), 'u');
const HIDDEN_IN_ONE_LINE = new RegExp(hiddenBut(''), 'u');
/** U+1F3F4 waving black flag, tag characters, and U+E007F cancel tag (Unicode's emoji tag sequences, UTS #51 §2.8). */
const EMOJI_TAG_SEQUENCE_SOURCE = '\\u{1F3F4}[\\u{E0020}-\\u{E007E}]+\\u{E007F}';
const EMOJI_TAG_SEQUENCE = new RegExp(EMOJI_TAG_SEQUENCE_SOURCE, 'gu');
/** An emoji tag sequence (group 1: kept whole) or, where none starts, a hidden character of text of several lines. */
const TAG_SEQUENCE_OR_HIDDEN = new RegExp(`(${EMOJI_TAG_SEQUENCE_SOURCE})|${hiddenBut('\\t\\n\\r')}`, 'gu');

/** Whether the text holds a control or invisible character; `lines`: tab, line feed and carriage return are allowed. */
export const hasHiddenCharacter = (text: string, lines = false) => {
  const hidden = lines ? HIDDEN_IN_LINES : HIDDEN_IN_ONE_LINE;
  return hidden.test(text) && hidden.test(text.replace(EMOJI_TAG_SEQUENCE, '\u{1F3F4}'));
};

/**
 * The text without the characters hasHiddenCharacter finds in text of several lines (tab, line
 * feed and carriage return stay): for text the app cannot refuse, an EHR's (server/ehr/shown-text.ts).
 */
export const withoutHiddenCharacters = (text: string) => text.replace(TAG_SEQUENCE_OR_HIDDEN, (_found, tags?: string) => tags ?? '');

/**
 * Whether withoutHiddenCharacters may drop this character, by its code point (tag characters
 * included: whether they are in an emoji tag sequence the text decides). For scans of bytes that
 * must find whatever it drops (server/ehr/hidden-bytes.ts).
 */
export const mayBeHiddenCharacter = (codePoint: number) => HIDDEN_IN_LINES.test(String.fromCodePoint(codePoint));

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
