import { isObject, objects, str } from './json.js';

/**
 * Summarises an OperationOutcome as severities and codes only. `diagnostics` and `details.text`
 * are left out on purpose: servers often echo the query (names, MRNs) in them.
 */
export function summariseOutcome(resource: unknown): string | undefined {
  if (!isObject(resource) || resource.resourceType !== 'OperationOutcome') return undefined;
  const parts = objects(resource.issue)
    .slice(0, 5)
    .map((issue) => {
      const severity = safeCode(issue.severity) ?? 'issue';
      const codes = [
        safeCode(issue.code),
        ...objects(isObject(issue.details) ? issue.details.coding : undefined).map((c) => safeCode(c.code)),
      ].filter((c): c is string => c !== undefined);
      return codes.length > 0 ? `${severity} (${codes.join(', ')})` : severity;
    });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Codes are short tokens; anything else could be free text and is dropped. */
function safeCode(value: unknown): string | undefined {
  const s = str(value);
  return s !== undefined && /^[A-Za-z0-9_.:-]{1,40}$/.test(s) ? s : undefined;
}
