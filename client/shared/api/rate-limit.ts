/**
 * Waits the API client makes after a 429 before asking again, for the notice that tells the user:
 * the time the latest wait ends, or null when nothing waits. Several waits may overlap.
 */
const waits = new Set<number>();
const listeners = new Set<() => void>();
let latest: number | null = null;

function changed() {
  latest = waits.size ? Math.max(...waits) : null;
  for (const listener of listeners) listener();
}

/** Records a wait until `until` (ms since epoch); returns the function that ends it. */
export function startWait(until: number): () => void {
  // Two waits ending the same millisecond count once; the notice only needs the latest end.
  const token = until + waits.size * 1e-6;
  waits.add(token);
  changed();
  return () => {
    if (waits.delete(token)) changed();
  };
}

export const rateLimitWaits = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** When the latest wait ends (ms since epoch), or null. */
  until: (): number | null => latest,
};
