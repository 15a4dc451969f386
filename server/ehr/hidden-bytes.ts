import { isAscii } from 'node:buffer';
import { mayBeHiddenCharacter } from '../../contract/shared-text.js';

/**
 * Whether an EHR answer's bytes may hold a character shownText takes out (shown-text.ts), raw or as
 * a JSON escape; when true, shown-text's scan decides, string by string. It must never miss one:
 * DEL, any `\u`, `\b` or `\f` escape (which may stand for any character; a raw C0 control is not
 * valid JSON), and any UTF-8 character the shared rule (contract/shared-text.ts) may drop, found by
 * its code point. Plain answers stay cheap: pure ASCII is told by one native pass, and only the
 * lead bytes under which the rule has a character are searched for (with the bytes' own search),
 * so accented Latin (lead bytes C3–C5) is never decoded; Arabic, punctuation and emoji are
 * decoded and looked up in a bitmap.
 */
export function mayHoldHidden(content: Uint8Array): boolean {
  const b = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (b.indexOf(DEL) >= 0) return true;
  // Each backslash found is an escape's first (the search goes on after its second character).
  for (let i = b.indexOf(BACKSLASH); i >= 0; i = b.indexOf(BACKSLASH, i + 2)) {
    const escaped = b[i + 1];
    if (escaped === 0x75 || escaped === 0x62 || escaped === 0x66) return true; // u, b, f
  }
  if (isAscii(b)) return false;
  // A byte order mark the answer starts with is the decoder's to drop.
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  for (const lead of leadsOfHidden()) {
    for (let i = b.indexOf(lead, start); i >= 0; i = b.indexOf(lead, i + 1)) if (isHidden(codePointAt(b, i))) return true;
  }
  return false;
}

const DEL = 0x7f;
const BACKSLASH = 0x5c;

/** The code point of the UTF-8 character whose lead byte is at i (malformed bytes give some code point: at worst a slower, still right, read). */
function codePointAt(b: Uint8Array, i: number): number {
  const lead = b[i];
  if (lead < 0xe0) return ((lead & 0x1f) << 6) | (b[i + 1] & 0x3f);
  if (lead < 0xf0) return ((lead & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
  return Math.min(((lead & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f), 0x10ffff);
}

/** Per block of 256 code points, a bitmap of those the rule may drop: made when first asked, 139 KB at most. */
const blocks = new Array<Uint8Array | undefined>(0x1100);

function hiddenBits(block: number): Uint8Array {
  let bits = blocks[block];
  if (!bits) {
    bits = new Uint8Array(32);
    for (let k = 0; k < 256; k++) if (mayBeHiddenCharacter((block << 8) | k)) bits[k >> 3] |= 1 << (k & 7);
    blocks[block] = bits;
  }
  return bits;
}

const isHidden = (codePoint: number) => (hiddenBits(codePoint >> 8)[(codePoint & 0xff) >> 3] >> (codePoint & 7)) & 1;

let leads: number[] | undefined;

/**
 * The UTF-8 lead bytes under which the rule has a character. Two- and three-byte leads are worked
 * out from the rule once (their 65,000 code points); every four-byte lead (F0–F4: the emoji,
 * the tag characters, the musical format controls…) is always searched for.
 */
function leadsOfHidden(): number[] {
  if (!leads) {
    const found: number[] = [];
    for (let lead = 0xc2; lead <= 0xdf; lead++) if (anyHidden((lead & 0x1f) << 6, 64)) found.push(lead);
    for (let lead = 0xe0; lead <= 0xef; lead++) if (anyHidden((lead & 0x0f) << 12, 4096)) found.push(lead);
    leads = [...found, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4];
  }
  return leads;
}

function anyHidden(from: number, count: number): boolean {
  for (let cp = from; cp < from + count; cp++) if (isHidden(cp)) return true;
  return false;
}
