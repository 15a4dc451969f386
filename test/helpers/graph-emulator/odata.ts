/**
 * The slice of OData query syntax the emulator understands: `eq` comparisons of one property in
 * `$filter`, alone or joined by `or` (`displayName eq 'X'` on lists, `fields/Name eq 'X' or
 * fields/Name eq 'Y'` on items, as in the Graph v1.0 docs "List items" and "Use query
 * parameters"), and SharePoint-style `$skiptoken` paging.
 */
export interface EqFilter {
  property: string;
  /** Any of these matches. */
  values: Array<string | number>;
}

export class ODataError extends Error {}

export function parseEqFilter(filter: string | null): EqFilter | null {
  if (filter === null) return null;
  const clause = /\s*([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)?)\s+eq\s+(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))\s*(?:$|or\b)/y;
  const parsed: EqFilter = { property: '', values: [] };
  while (clause.lastIndex < filter.length) {
    const match = clause.exec(filter);
    if (!match || (parsed.property && match[1] !== parsed.property)) throw new ODataError(`Invalid filter clause: ${filter}`);
    parsed.property = match[1];
    parsed.values.push(match[2] !== undefined ? match[2].replace(/''/g, "'") : Number(match[3]));
  }
  if (!parsed.values.length || /\bor\s*$/.test(filter)) throw new ODataError(`Invalid filter clause: ${filter}`);
  return parsed;
}

/**
 * `eq` as SharePoint answers it: text compares ignoring case (but not accents), so
 * `fields/PatientId eq 'abc'` finds the rows of "ABC" too, and `displayName eq 'rounds'` the list
 * "Rounds". SharePoint's content databases use the case-insensitive collation
 * Latin1_General_CI_AS_KS_WS, which list queries (CAML `<Eq>`, what Graph's `$filter` on `fields/`
 * becomes) compare in; public reports of keys that differ only in case being matched by list
 * queries say the same (e.g. elevatepoint.com, "i Am ToTally insensitive to SharePoint CAML
 * Querying"). OData's own `eq` is case-sensitive, but this is SharePoint's, not OData's. A store
 * that looks rows up by a case-sensitive key must compare exactly itself.
 */
export function sharePointEq(stored: unknown, value: string | number): boolean {
  if (typeof stored === 'string' && typeof value === 'string') return stored.toLowerCase() === value.toLowerCase();
  return stored === value;
}

/** SharePoint's paging token names the last id served: base64 of `Paged=TRUE&p_ID={id}`. */
function skipTokenAfter(lastId: string): string {
  return Buffer.from(`Paged=TRUE&p_ID=${lastId}`).toString('base64');
}

function idAfterSkipToken(token: string | null): string | null {
  if (token === null) return null;
  const match = /^Paged=TRUE&p_ID=(.+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new ODataError('The skip token is not valid.');
  return match[1];
}

/** `$top`, capped by the page size the server allows. */
export function pageSize(top: string | null, max: number): number {
  if (top === null) return max;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) throw new ODataError(`Invalid $top value: ${top}`);
  return Math.min(n, max);
}

/** One page of `rows` after the skip token, and the token of the next page if there is one. */
export function page<T>(rows: T[], idOf: (row: T) => string, top: number, skipToken: string | null) {
  const after = idAfterSkipToken(skipToken);
  let start = 0;
  if (after !== null) {
    const served = rows.findIndex((r) => idOf(r) === after);
    // The last row served may have been deleted since: go on from the first id after it.
    const next = rows.findIndex((r) => Number(idOf(r)) > Number(after));
    start = served >= 0 ? served + 1 : next >= 0 ? next : rows.length;
  }
  const slice = rows.slice(start, start + top);
  const more = start + top < rows.length;
  return { rows: slice, nextToken: more && slice.length ? skipTokenAfter(idOf(slice[slice.length - 1])) : null };
}
