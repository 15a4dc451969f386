/** `${{NAME}}` as the Agents Toolkit writes references to environment variables. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every distinct placeholder name in `text`, in order of first appearance. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

export interface FillResult {
  text: string;
  /** Placeholders with no value, or an empty one. */
  missing: string[];
}

/**
 * Replaces every `${{NAME}}` in a JSON text with its value, escaped for a JSON string (the
 * placeholders sit inside string literals). A name without a non-empty value is reported in
 * `missing` and left in place.
 */
export function fillJsonPlaceholders(text: string, values: Record<string, string | undefined>): FillResult {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  return { text: filled, missing: [...missing] };
}
