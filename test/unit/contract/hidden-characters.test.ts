import { describe, expect, it } from 'vitest';
import { hasHiddenCharacter, sharedText } from '../../../contract/shared-text.js';
import { mayHoldHidden } from '../../../server/ehr/answer-json.js';
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
