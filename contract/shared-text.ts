import { z } from 'zod';
import { DIRECTION_CONTROLS_MESSAGE, hasDirectionControls } from './direction-controls.js';

/** The invisible characters below, as the inside of a regular expression's character class (server/ehr/shown-text.ts takes them out of EHR text). */
export const INVISIBLE_CHARACTERS = '\\u00ad\\u180e\\u200b\\u2060\\ufeff';

/**
 * Characters no reader sees that typed text must not carry: they would reach storage and exports
 * as they are (a NUL, an ESC that recolours a terminal, a BEL), or make two texts that look alike
 * differ ("Wa\u200Brd" is not "Ward"). Control characters (C0, DEL, C1; tab, line feed and
 * carriage return only in text of several lines) and the invisible U+200B zero width space,
 * U+2060 word joiner, U+FEFF, U+00AD soft hyphen and U+180E Mongolian vowel separator. U+200C and
 * U+200D (zero width non-joiner, joiner) are kept: Persian and Indic scripts and emoji need them.
 */
const HIDDEN_IN_LINES = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE_CHARACTERS}]`, 'u');
const HIDDEN_IN_ONE_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CHARACTERS}]`, 'u');

/** Whether the text holds a control or invisible character; `lines`: tab, line feed and carriage return are allowed. */
export const hasHiddenCharacter = (text: string, lines = false) => (lines ? HIDDEN_IN_LINES : HIDDEN_IN_ONE_LINE).test(text);
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
