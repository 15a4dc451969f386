import { useEffect } from 'react';
import { announce } from '../../shared/live-region';
import { t } from '../../shared/i18n/t';

/**
 * Tells a screen reader, through the tab's one polite live region, how many patients a search
 * found once its answer is here (focus stays in the search box, so nothing else says it), and
 * whether More results would find more; `answeredAt` is when the answer came (null while searching),
 * so a new search that finds as many is said again. "No patients match" is said by its own status line.
 * Renders nothing.
 */
export function SearchAnnouncer({ found, more, answeredAt }: { found: number; more: boolean; answeredAt: number | null }) {
  useEffect(() => {
    if (answeredAt === null || found === 0) return;
    announce(t(more ? 'search.foundMore' : 'search.found', { count: found }));
  }, [found, more, answeredAt]);
  return null;
}
