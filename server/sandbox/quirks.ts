import type { NextFunction, Request, Response } from 'express';

/**
 * Behaviours of real FHIR servers the sandbox can put on, for tests of the app's tolerance.
 * A base URL such as `/sandbox/r4/quirks/no-total,sort-rejected` serves the same data with them.
 */
const quirkNames = [
  'no-total', // searchsets without `total`
  'sort-rejected', // `_sort` answered with 400
  'sort-ignored', // `_sort` ignored: results in reverse store order
  'no-contains', // `:contains` answered with 400
  'outcome-entries', // an OperationOutcome entry (search.mode outcome) among results
  'partial-dates', // birth dates as a year only, observation times without a time zone
  'legacy-content-type', // application/json+fhir
  'plain-json', // application/json
  'throttle', // every second request: 429 with Retry-After: 1
  'unavailable', // every second request: 503 with Retry-After: 1
  'slow', // every answer 2 s late
  'token-expiry', // each token refused once (401) on its second use, as if it expired mid-way
  'xml', // XML instead of JSON (but for the capability statement)
] as const;

export type Quirk = (typeof quirkNames)[number];

export function parseQuirks(text: string): Set<Quirk> | null {
  const names = text.split(',').filter(Boolean);
  return names.every((n) => (quirkNames as readonly string[]).includes(n)) ? new Set(names as Quirk[]) : null;
}

/** Request-level quirks, applied after the token check. */
export function quirkMiddleware(quirks: ReadonlySet<Quirk>) {
  let count = 0;
  const tokenUses = new Map<string, number>();
  return async (req: Request, res: Response, next: NextFunction) => {
    count += 1;
    if (quirks.has('slow')) await new Promise((r) => setTimeout(r, 2000));
    const busy = (status: number) =>
      res
        .status(status)
        .set('Retry-After', '1')
        .type('application/fhir+json')
        .send(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled' }] }));
    if (quirks.has('throttle') && count % 2 === 0) return busy(429);
    if (quirks.has('unavailable') && count % 2 === 0) return busy(503);
    if (quirks.has('token-expiry')) {
      const token = req.get('authorization') ?? '';
      const uses = (tokenUses.get(token) ?? 0) + 1;
      tokenUses.set(token, uses);
      if (uses === 2)
        return res
          .status(401)
          .type('application/fhir+json')
          .send(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'expired' }] }));
    }
    if (quirks.has('xml'))
      return res.status(200).type('application/fhir+xml').send('<Bundle xmlns="http://hl7.org/fhir"><type value="searchset"/></Bundle>');
    next();
  };
}

/** Quirks on a search answer: what the data looks like when such a server sends it. */
export function quirkyBody(quirks: ReadonlySet<Quirk>, body: Record<string, unknown>): Record<string, unknown> {
  let out = body;
  if (quirks.has('partial-dates')) out = JSON.parse(JSON.stringify(out, (key, value) => partialDate(key, value)));
  if (out.resourceType === 'Bundle' && out.type === 'searchset') {
    if (quirks.has('no-total')) out = { ...out, total: undefined };
    if (quirks.has('outcome-entries')) {
      out = {
        ...out,
        entry: [
          ...(Array.isArray(out.entry) ? out.entry : []),
          {
            resource: {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'warning', code: 'informational', diagnostics: 'Some results were filtered' }],
            },
            search: { mode: 'outcome' },
          },
        ],
      };
    }
  }
  return out;
}

function partialDate(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'birthDate') return value.slice(0, 4);
  if (key === 'effectiveDateTime') return value.replace(/Z$|[+-]\d{2}:\d{2}$/, '');
  return value;
}
