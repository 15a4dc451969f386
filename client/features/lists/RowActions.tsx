import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useLayoutEffect, useRef, type FocusEvent, type ReactNode } from 'react';
import { t } from '../../shared/i18n/t';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: '4px', whiteSpace: 'nowrap' },
  why: { color: tokens.colorNeutralForeground3, whiteSpace: 'normal', maxWidth: '240px' },
});

/**
 * A row's Actions cell: its controls (`children`) while the row can be changed; else words that
 * say why none is offered. When the row stops being changeable (it failed on a refresh) while
 * focus was on one of its controls, focus goes to those words, which a screen reader then says,
 * instead of falling to the page.
 */
export function RowActions({ changeable, children }: { changeable: boolean; children: ReactNode }) {
  const styles = useStyles();
  const focusWithin = useRef(false);
  const why = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    if (changeable || !focusWithin.current) return;
    focusWithin.current = false;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) why.current?.focus();
  }, [changeable]);
  const onBlur = (e: FocusEvent) => {
    const left = e.target;
    // Chromium blurs a control it is removing while it is still on the page: focus moved to nothing
    // counts as leaving the cell only if the control is still there once this render is done.
    if (e.relatedTarget) focusWithin.current = false;
    else queueMicrotask(() => left.isConnected && (focusWithin.current = false));
  };
  return (
    <div className={styles.actions} onFocus={() => (focusWithin.current = true)} onBlur={onBlur}>
      {changeable ? (
        children
      ) : (
        <Text ref={why} tabIndex={-1} size={200} className={styles.why}>
          {t('lists.cannotChange')}
        </Text>
      )}
    </div>
  );
}
