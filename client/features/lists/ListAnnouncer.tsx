import { useEffect, useRef } from 'react';
import { announce } from '../../shared/live-region';
import { t } from '../../shared/i18n/t';
import { useListReadState } from './api/get-list';
import { refreshAsked } from './ListFreshness';

/** How long the filter's box is left alone before the count of rows it shows is said. */
const SETTLED_MS = 700;

/**
 * Tells a screen reader, through the tab's one polite live region, what changed in the open list
 * without focus moving: "List refreshed, N patients" once a Refresh the user asked for has read it
 * again, and "N of M patients shown" once the filter's words settle. Renders nothing.
 */
export function ListAnnouncer({ listId, shown, total, filter }: { listId: string; shown: number; total: number; filter: string }) {
  const read = useListReadState(listId);
  useEffect(() => {
    if (!refreshAsked.has(listId) || read.isFetching) return;
    refreshAsked.delete(listId);
    if (!read.isError) announce(t('lists.refreshed', { count: total }));
  }, [listId, read.dataUpdatedAt, read.isFetching, read.isError, total]);
  // Said for a filter typed (and for one cleared), not when the list first shows.
  const filtered = useRef(false);
  useEffect(() => {
    if (!filter.trim() && !filtered.current) return;
    filtered.current = Boolean(filter.trim());
    const timer = setTimeout(() => announce(t('lists.shownOf', { shown, total })), SETTLED_MS);
    return () => clearTimeout(timer);
  }, [filter, shown, total]);
  return null;
}
