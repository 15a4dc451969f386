import { useEffect, useRef } from 'react';
import { ErrorNotice } from './ErrorNotice';
import { t } from '../i18n/t';
import { listChangeText } from '../list-change';

/**
 * Beside the Add button: the patients that could not be added (how many, to which list) and why.
 * It takes focus when it appears (and on each new failure), so a keyboard or screen reader user
 * hears that the add failed, not the silence of a button that stayed as it was.
 */
export function AddFailed({ failure }: { failure: { count: number; list: string; error: unknown } }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [failure]);
  return (
    <div tabIndex={-1} ref={ref}>
      {/* What a colleague did to the list first (deleted it, changed it), in words; the list is read again (useAddPatients). */}
      <ErrorNotice
        error={failure.error}
        title={t('search.addFailed', { count: failure.count, list: failure.list })}
        text={listChangeText(failure.error)}
      />
    </div>
  );
}
