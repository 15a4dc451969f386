import type { ClinicalWarning } from './types.js';

/** Counts of things skipped while reading, by code; safe to log (no patient data ever goes in). */
export class Warnings {
  private readonly counts = new Map<string, number>();

  add(code: string, count = 1): void {
    if (count > 0) this.counts.set(code, (this.counts.get(code) ?? 0) + count);
  }

  list(): ClinicalWarning[] {
    return [...this.counts].map(([code, count]) => ({ code, count })).sort((a, b) => a.code.localeCompare(b.code));
  }
}

/** Sums warnings of many patients, for one log line per read. */
export function sumWarnings(lists: ClinicalWarning[][]): ClinicalWarning[] {
  const total = new Warnings();
  for (const list of lists) for (const w of list) total.add(w.code, w.count);
  return total.list();
}
