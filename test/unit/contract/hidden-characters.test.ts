import { describe, expect, it } from 'vitest';
import { hasHiddenCharacter, sharedText } from '../../../contract/shared-text.js';
import { mayHoldHidden } from '../../../server/ehr/hidden-bytes.js';
import { parseEhrJson, shownText } from '../../../server/ehr/shown-text.js';

const hex = (c: string) => c.codePointAt(0)!.toString(16).padStart(4, '0');
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** C0 controls but tab, line feed and carriage return; DEL; C1. */
const CONTROLS = [...range(0x00, 0x08), '\u000b', '\u000c', ...range(0x0e, 0x1f), ...range(0x7f, 0x9f)];
const LINE_BREAKS = ['\t', '\n', '\r'];
/** Invisible, and no direction control: they make two texts that look alike differ. */
const INVISIBLE = ['\u200b', '\u2060', '\ufeff', '\u00ad', '\u180e'];
/** Needed by Persian and Indic scripts and emoji sequences, or plain text in other scripts: never refused. */
const KEPT = ['\u200c', '\u200d', 'شرف', 'कृ', '👩‍⚕️', 'Zoë'];
/**
 * Invisible by their Unicode properties, beyond the five an EHR's text drops: the invisible
 * operators U+2061–U+2064, tag characters (invisible ASCII), the combining grapheme joiner, the
 * Hangul fillers, Khmer's inherent vowels, line and paragraph separators, interlinear annotation.
 */
const INVISIBLE_BY_PROPERTY = [
  '\u2061',
  '\u2062',
  '\u2063',
  '\u2064',
  '\u{E0041}',
  '\u{E0020}',
  '\u034f',
  '\u115f',
  '\u1160',
  '\u3164',
  '\uffa0',
  '\u17b4',
  '\u17b5',
  '\u2028',
  '\u2029',
  '\ufff9',
];
/** Half of a surrogate pair: no character at all (a store keeps U+FFFD in its place). */
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
/** Emoji and CJK variants, a Mongolian free variation selector, and a subdivision flag (tag characters in their sequence). */
const KEPT_SEQUENCES = ['❤️', '葛\u{E0100}', '\u1820\u180b', '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', '😀'];

describe('text a person types', () => {
  it('is refused with a control character or an invisible character, in one line and in several', () => {
    for (const c of [...CONTROLS, ...INVISIBLE]) {
      expect(hasHiddenCharacter(`Wa${c}rd`), `U+${hex(c)}`).toBe(true);
      expect(hasHiddenCharacter(`Wa${c}rd`, true), `U+${hex(c)}`).toBe(true);
      const parsed = sharedText(200).safeParse(`Wa${c}rd`);
      expect(parsed.error?.issues[0].message, `U+${hex(c)}`).toBe('contains a control character or an invisible character; remove it');
    }
  });

  it('keeps tab, line feed and carriage return only in text of several lines (a note), never in one line (a name)', () => {
    for (const c of LINE_BREAKS) {
      expect(hasHiddenCharacter(`a${c}b`), `U+${hex(c)}`).toBe(true);
      expect(hasHiddenCharacter(`a${c}b`, true), `U+${hex(c)}`).toBe(false);
      expect(sharedText(200).safeParse(`a${c}b`).success, `U+${hex(c)}`).toBe(false);
      expect(sharedText(200, undefined, { lines: true }).safeParse(`a${c}b`).success, `U+${hex(c)}`).toBe(true);
    }
  });

  it('is refused with any character Unicode makes invisible, and with half a character pair', () => {
    for (const c of [...INVISIBLE_BY_PROPERTY, ...LONE_SURROGATES]) {
      expect(hasHiddenCharacter(`E${c}1`), `U+${hex(c)}`).toBe(true);
      expect(hasHiddenCharacter(`E${c}1`, true), `U+${hex(c)}`).toBe(true);
      expect(sharedText(200, undefined, { lines: true }).safeParse(`Wa${c}rd`).success, `U+${hex(c)}`).toBe(false);
    }
    // Tag characters outside a flag's sequence hide text (invisible ASCII after a flag, or alone).
    expect(hasHiddenCharacter('🏴\u{E0067}\u{E0062}\u{E007F}\u{E0041}')).toBe(true);
  });

  it('keeps variation selectors, flags and pairs that make one character', () => {
    for (const c of KEPT_SEQUENCES) {
      expect(hasHiddenCharacter(`a${c}b`), c).toBe(false);
      expect(sharedText(200).safeParse(`a${c}b`).success, c).toBe(true);
    }
  });

  it('keeps the joiners and text in any script', () => {
    for (const c of KEPT) {
      expect(hasHiddenCharacter(`a${c}b`), c).toBe(false);
      expect(sharedText(200).safeParse(`a${c}b`).success, c).toBe(true);
    }
  });
});

describe("an EHR's text with invisible characters", () => {
  it('is shown without them, raw or as JSON escapes, whether the bytes are scanned or the text', () => {
    for (const c of INVISIBLE) {
      expect(shownText(`MRN 12${c}34`), `U+${hex(c)}`).toBe('MRN 1234');
      for (const json of [`{"mrn":"12${c}34"}`, `{"mrn":"12\\u${hex(c)}34"}`, `{"mrn":"12\\u${hex(c).toUpperCase()}34"}`]) {
        expect(mayHoldHidden(new TextEncoder().encode(json)), json).toBe(true);
        expect(parseEhrJson(json), json).toEqual({ mrn: '1234' });
      }
    }
    for (const c of KEPT) expect(shownText(`a${c}b`)).toBe(`a${c}b`);
    // The decoder drops the byte order mark an answer starts with: that alone is no cause for a slower read.
    expect(mayHoldHidden(new TextEncoder().encode('\ufeff{"mrn":"1234"}'))).toBe(false);
  });
});
