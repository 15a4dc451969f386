import { describe, expect, it } from 'vitest';
import { hasDirectionControls } from '../../../contract/direction-controls.js';
import { sharedText } from '../../../contract/shared-text.js';
import { parseAnswerJson } from '../../../server/ehr/answer-json.js';
import { mayHoldHidden } from '../../../server/ehr/hidden-bytes.js';
import { parseEhrJson, shownText } from '../../../server/ehr/shown-text.js';

/**
 * Every character of Unicode's Bidi_Control property (PropList.txt, Unicode 15.1; UAX #9 §2),
 * written out here rather than taken from the engine: ARABIC LETTER MARK, LEFT-TO-RIGHT and
 * RIGHT-TO-LEFT MARK, the embeddings and overrides with their POP, and the isolates with theirs.
 */
const BIDI_CONTROLS = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) =>
  String.fromCodePoint(c),
);
/** Invisible or right-to-left, yet no direction control: kept (joiners shape Arabic and Indic scripts). */
const KEPT = ['\u200b', '\u200c', '\u200d', '\u2060', 'شرف', 'כהן', '\u00ad'];

const hex = (c: string) => c.codePointAt(0)!.toString(16).padStart(4, '0');

describe('invisible direction controls, every one of them', () => {
  it('are refused in text a team shares, where "give 2.5 mg" with a mark after the 2 would show as "give 25. mg"', () => {
    for (const c of BIDI_CONTROLS) {
      expect(hasDirectionControls(`Give 2${c}.5 mg`), `U+${hex(c)}`).toBe(true);
      const parsed = sharedText(200).safeParse(`Give 2${c}.5 mg`);
      expect(parsed.success, `U+${hex(c)}`).toBe(false);
    }
    for (const c of KEPT) expect(hasDirectionControls(`a${c}b`), `U+${hex(c)}`).toBe(false);
  });

  it('are taken out of what an EHR sends, raw or as JSON escapes, in the answer parsed whole or entry by entry', () => {
    for (const c of BIDI_CONTROLS) {
      for (const json of [`{"family":"Doe${c}1"}`, `{"family":"Doe\\u${hex(c)}1"}`, `{"family":"Doe\\u${hex(c).toUpperCase()}1"}`]) {
        expect(mayHoldHidden(new TextEncoder().encode(json)), json).toBe(true);
        expect(parseEhrJson(json), json).toEqual({ family: 'Doe1' });
      }
      expect(shownText(`BP 120${c}/80`)).toBe('BP 120/80');
    }
    // The other invisible characters are taken out too (hidden-characters.test.ts); joiners and scripts stay.
    for (const c of ['\u200c', '\u200d', 'شرف', 'כהן']) expect(shownText(`a${c}b`)).toBe(`a${c}b`);
    // A Bundle large enough to be parsed entry by entry, one control in each entry's name.
    const entry = BIDI_CONTROLS.map((c, i) => ({
      resource: { resourceType: 'Patient', id: `p${i}`, name: [{ family: `Doe${c}${i}` }], text: 'x'.repeat(8000) },
    }));
    const parsed = parseAnswerJson(new TextEncoder().encode(JSON.stringify({ resourceType: 'Bundle', entry }))) as { entry: typeof entry };
    expect(parsed.entry.map((e) => e.resource.name[0].family)).toEqual(BIDI_CONTROLS.map((_, i) => `Doe${i}`));
  });
});
