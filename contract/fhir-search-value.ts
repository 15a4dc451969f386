/**
 * A FHIR search value written with its escapes (search.html "Escaping Search Parameters", DSTU2,
 * STU3 and R4 alike): `,` separates alternatives, `$` the parts of a composite and `|` a token's
 * system from its code; written with a `\` before it (and `\\` for a backslash), each is the
 * character itself. The app escapes what a user typed (server/ehr/patient-search.ts); the sandbox
 * EHR reads the escapes back (server/sandbox).
 */

/** What a user typed, as one search value: every separator and backslash escaped. */
export const escapeSearchValue = (text: string) => text.replace(/[\\,$|]/g, '\\$&');

/** The value split at each `separator` not escaped, the escapes kept in the parts (for the next split). */
export function splitUnescaped(value: string, separator: ',' | '|' | '$'): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === separator) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** The text a value stands for: each escaped character itself. */
export const unescapeSearchValue = (value: string) => value.replace(/\\(.)/gsu, '$1');
