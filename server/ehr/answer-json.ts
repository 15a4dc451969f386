import { mayHoldHidden } from './hidden-bytes.js';
import { parseEhrJson } from './shown-text.js';

/** What a read may still take in entries (a read's budget, read-budget.ts). */
export interface EntryAllowance {
  readonly entriesLeft: number;
  /** Refuses an answer of more entries than are left: throws. */
  refuseEntries(): never;
}

/**
 * An EHR answer's bytes as JSON, with the hidden characters of its text taken out (shown-text.ts).
 *
 * An answer is parsed whole, as any client parses it (JSON.parse of the decoded text: measured
 * faster, in time and garbage, than parsing a large Bundle entry by entry). Only an answer large
 * enough to hold more entries than the read may still take (an entry is at least `{}` and a
 * comma: 3 bytes) is looked into first: its entries are found where the JSON's own structure is
 * (the top-level object's `"entry"` array and its objects, outside strings), counted, refused
 * before any is parsed when there are too many, else each parsed on its own. Anything this split
 * does not recognise with certainty is parsed whole, so the value, and a malformed answer's
 * refusal, are those of JSON.parse (its entries are then counted once parsed, by the reader).
 */
export function parseAnswerJson(content: Uint8Array, allowance?: EntryAllowance): unknown {
  const split = allowance && content.length >= 3 * allowance.entriesLeft ? entrySpans(content) : undefined;
  // The split has measured the nesting on its way through the bytes; otherwise one pass does.
  if ((split ? split.deepest : deepestNesting(content, MAX_DEPTH)) > MAX_DEPTH)
    throw new SyntaxError(`The JSON is nested deeper than ${MAX_DEPTH} levels.`);
  // Nearly every answer is free of hidden characters (hidden-bytes.ts): its text is then parsed as it is.
  const parse = mayHoldHidden(content) ? parseEhrJson : JSON.parse;
  const joined = split && joinedBundle(content, split, parse, allowance!);
  return joined || parse(utf8.decode(content));
}

/**
 * The deepest nesting of objects and arrays an answer may have. FHIR's deepest in what the app
 * reads is a batch answer's searchset Bundle's entry's contained resource's nested extension's
 * coding: under 20 levels. An answer nested a million levels deep (a few MB of `[[[…`) is valid
 * JSON that JSON.parse takes seconds over, all of them on the event loop every tenant shares.
 */
const MAX_DEPTH = 100;

/** How deep the JSON's objects and arrays nest, brackets in strings aside: one pass over the bytes, stopping once past `limit`. */
export function deepestNesting(b: Uint8Array, limit: number): number {
  const n = b.length;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = b[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > deepest && (deepest = depth) > limit) break;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return deepest;
}

// TextDecoder drops a leading byte order mark, once: only the first piece starts where the answer does.
const utf8 = new TextDecoder();

interface Split {
  /** Offset of the `[` that opens the top-level `"entry"` array, and of the `]` that closes it. */
  open: number;
  close: number;
  /** Start and end (exclusive) of each entry object, in order. */
  spans: number[];
  /** How deep its objects and arrays nest. */
  deepest: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const ENTRY_KEY = [QUOTE, 0x65, 0x6e, 0x74, 0x72, 0x79, QUOTE]; // "entry"

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Where the entries of a top-level `{…,"entry":[{…},{…}],…}` are, or undefined when the bytes are
 * not plainly that: no such array, an element that is not an object, a top-level string written
 * with escapes (it could be a second `"entry"` key), anything but whitespace and single commas
 * between the entries, anything after the object, an unterminated string.
 */
export function entrySpans(b: Uint8Array): Split | undefined {
  const n = b.length;
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < n && isSpace(b[i])) i++;
  if (b[i] !== OPEN_OBJECT) return undefined;
  let depth = 0;
  /** The last top-level string: where it starts and ends (the closing quote). */
  let keyStart = -1;
  let keyEnd = -1;
  let open = -1;
  let close = -1;
  let inEntries = false;
  /** The `}` that closed the last entry (or the `[` that opened the array): only whitespace and one comma may follow it. */
  let after = -1;
  let deepest = 0;
  const spans: number[] = [];
  for (; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) {
      // An entry's strings are the entry's parse's business: only the top level is looked into.
      if (inEntries && depth === 2) return undefined;
      const start = i;
      let escaped = false;
      for (i++; ; i++) {
        if (i >= n) return undefined;
        const d = b[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        }
      }
      if (depth === 1) {
        if (escaped) return undefined;
        keyStart = start;
        keyEnd = i;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const entryArray = depth === 1 && c === OPEN_ARRAY && isEntryKey(b, keyStart, keyEnd, i);
      // The gap after a key is looked at once, by the first bracket after it: linear in the bytes,
      // whatever an EHR puts between its keys and brackets.
      if (depth === 1) keyStart = -1;
      if (entryArray) {
        if (open >= 0) return undefined;
        open = i;
        after = i;
        inEntries = true;
      } else if (inEntries && depth === 2) {
        if (c !== OPEN_OBJECT || !onlySeparator(b, after, i, spans.length > 0)) return undefined;
        spans.push(i);
      }
      if (++depth > deepest) deepest = depth;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth < 0) return undefined;
      if (inEntries && depth === 2) {
        spans.push(i + 1);
        after = i;
      } else if (inEntries && depth === 1) {
        if (c !== CLOSE_ARRAY || !onlySeparator(b, after, i, false)) return undefined;
        close = i;
        inEntries = false;
      } else if (depth === 0) {
        for (i++; i < n; i++) if (!isSpace(b[i])) return undefined;
        return open >= 0 && close > open && spans.length % 2 === 0 ? { open, close, spans, deepest } : undefined;
      }
    } else if (inEntries && depth === 2 && c !== COMMA && !isSpace(c)) {
      // A number, true, false or null among the entries.
      return undefined;
    }
  }
  return undefined;
}

/** Whether `"entry"`, then `:` between whitespace, is all there is from keyStart to the `[` at `at`. */
function isEntryKey(b: Uint8Array, keyStart: number, keyEnd: number, at: number): boolean {
  if (keyStart < 0 || keyEnd - keyStart !== ENTRY_KEY.length - 1) return false;
  for (let k = 0; k < ENTRY_KEY.length; k++) if (b[keyStart + k] !== ENTRY_KEY[k]) return false;
  let colons = 0;
  for (let k = keyEnd + 1; k < at; k++) {
    if (b[k] === COLON) colons++;
    else if (!isSpace(b[k])) return false;
  }
  return colons === 1;
}

/** Whether b[from, to) is whitespace with exactly one comma (`comma`) or none. */
function onlySeparator(b: Uint8Array, from: number, to: number, comma: boolean): boolean {
  let commas = 0;
  for (let k = from + 1; k < to; k++) {
    if (b[k] === COMMA) commas++;
    else if (!isSpace(b[k])) return false;
  }
  return commas === (comma ? 1 : 0);
}

/**
 * The Bundle from its envelope (the entry array emptied) and each entry parsed on its own;
 * undefined when the envelope's entry is not the emptied array. More entries than the allowance
 * has left are refused before any is parsed.
 */
function joinedBundle(b: Uint8Array, { open, close, spans }: Split, parse: (text: string) => unknown, allowance: EntryAllowance): object | undefined {
  const envelope = parse(utf8.decode(b.subarray(0, open + 1)) + utf8.decode(b.subarray(close))) as { entry: unknown };
  // A later "entry" key (JSON.parse keeps the last) with a value that is not an array: parsed whole.
  if (!Array.isArray(envelope.entry) || envelope.entry.length > 0) return undefined;
  if (spans.length / 2 > allowance.entriesLeft) allowance.refuseEntries();
  const entries = new Array<unknown>(spans.length / 2);
  for (let k = 0; k < spans.length; k += 2) entries[k / 2] = parse(utf8.decode(b.subarray(spans[k], spans[k + 1])));
  envelope.entry = entries;
  return envelope;
}
