import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { listChangeOf, listChangeText } from '../../shared/list-change';
import { ApiError } from '../../shared/api/api-client';
import { useLists, useRefreshLists } from './api/get-lists';
import type { ListSummary, ListView } from './api/read-list-answers';

/**
 * Why a change of the list (remove, move) was not made. When a colleague changed the list first,
 * the list has been read again and now shows their change: this says what happened, in words.
 * It takes focus when it appears (the row whose button was pressed may be gone with the re-read),
 * so a keyboard or screen reader user hears it rather than losing their place. A move (`movedFrom`)
 * refused as `list_not_found` waits for the team's lists, read again: if the list moved from is
 * still there, the list moved to is the one a colleague deleted.
 */
export function ListChangeNotice({ error, movedFrom }: { error: unknown; movedFrom?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const lists = useLists();
  const waiting = movedFrom !== undefined && error instanceof ApiError && error.code === 'list_not_found' && lists.isFetching;
  const targetGone = movedFrom !== undefined && !!lists.data?.some((l) => l.id === movedFrom);
  useEffect(() => {
    if (!waiting) ref.current?.focus();
  }, [error, waiting]);
  if (waiting) return null;
  return (
    <div tabIndex={-1} ref={ref}>
      {listChangeOf(error) ? (
        <MessageBar intent="warning" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('lists.changeNotMade')}</MessageBarTitle>
            {listChangeText(error, targetGone)}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <ErrorNotice error={error} />
      )}
    </div>
  );
}

/**
 * A list that a colleague deleted leaves the view: when the open list's read answers that there is
 * no such list, or the team's lists (read again after any change) no longer have it, `onGone('')`
 * goes back to the default list, and the notice names the list that went. A list this user deleted
 * (`deleted`) is not one. Mounted anew (its key) when the user chooses a list, which puts the notice away.
 */
export function ListGoneWatch({
  listId,
  summaries,
  data,
  error,
  deleted,
  onGone,
}: {
  listId: string | null;
  summaries?: readonly ListSummary[];
  data?: ListView;
  error: unknown;
  deleted: string | null;
  onGone: (listId: string) => void;
}) {
  const refreshLists = useRefreshLists();
  const [gone, setGone] = useState<{ name: string | null } | null>(null);
  // The list last shown, by id and name: what the notice names once it is gone.
  const shown = useRef<{ id: string; name: string } | null>(null);
  // The list found gone last: each is handled once.
  const handled = useRef<string | null>(null);
  const readGone = error instanceof ApiError && error.code === 'list_not_found' ? listId : null;
  useEffect(() => {
    if (data && data.id === listId) shown.current = { id: data.id, name: data.name };
  }, [data, listId]);
  useEffect(() => {
    const last = shown.current;
    const goneId = readGone ?? (last && summaries && !summaries.some((l) => l.id === last.id) ? last.id : null);
    if (!goneId || handled.current === goneId) return;
    handled.current = goneId;
    const name = last?.id === goneId ? last.name : (summaries?.find((l) => l.id === goneId)?.name ?? null);
    if (goneId !== deleted) setGone({ name });
    // The summary may still offer the list (its read told first): read it again, and go back to the default list.
    if (readGone) refreshLists();
    onGone('');
  }, [readGone, summaries, deleted, refreshLists, onGone]);
  return gone && <ListGoneNotice name={gone.name} />;
}

/** "The list … was deleted by a colleague": it takes focus, as the list the user was working in is gone. */
function ListGoneNotice({ name }: { name: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [name]);
  return (
    <div tabIndex={-1} ref={ref}>
      <MessageBar intent="warning" role="alert">
        <MessageBarBody>{name ? t('lists.listGoneNamed', { name }) : t('lists.listGone')}</MessageBarBody>
      </MessageBar>
    </div>
  );
}
