import { Problem } from './problem.js';

/**
 * The first member name an object of this JSON text gives twice (after unescaping, so `"a"` and
 * `"\u0061"` are the same name), or null. JSON.parse keeps the last value silently, where another
 * reader (a proxy's filter, a log reader) may keep the first: the same body would say two things.
 * Text that is not JSON gives null here and is refused by the parser.
 */
export function repeatedName(text: string): string | null {
  // One set of names per object open at this point; null for an array.
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') open.push(new Set());
    else if (c === '[') open.push(null);
    else if (c === '}' || c === ']') open.pop();
    else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (next < text.length && ' \t\r\n'.includes(text[next])) next++;
      const names = open.at(-1);
      if (names && text[next] === ':') {
        let name: string;
        try {
          name = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return null;
        }
        if (names.has(name)) return name;
        names.add(name);
      }
      i = end;
    }
  }
  return null;
}

/**
 * For body-parser's `verify` (the body's bytes, before they are parsed): JSON is read as UTF-8
 * only (RFC 8259 8.1), so no other charset (UTF-7's `+ADw-` for `<`) lets a body say one thing to
 * a filter and another to the app; and a body naming a member twice is refused, not half-read.
 */
export function checkJsonText(body: Buffer, charset: string): void {
  if (charset !== 'utf-8') throw new Problem('unsupported_encoding', 'Send the request body as JSON in UTF-8 (charset=utf-8, or no charset).');
  if (repeatedName(body.toString('utf8')) !== null) {
    throw new Problem('malformed_json', 'The request body gives a field more than once. Send each field once.');
  }
}
