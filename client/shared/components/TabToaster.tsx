import { MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';

// The tab's short-lived messages, shown as Fluent MessageBars (already part of the tab) in a
// corner, instead of Fluent's toaster (about 6 kB gzip more in the tab's first download).

export interface TabNotice {
  id: string;
  intent: 'info' | 'success' | 'error';
  text: string;
  /** A button beside the text (Undo). */
  action?: ReactNode;
  /**
   * How long it shows, in milliseconds; paused while pointed at and while the window is in the
   * background (not while focused: focus moves to Undo, which must still run out).
   */
  timeout: number;
}

let notices: TabNotice[] = [];
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Shows a message (one with the same id is replaced). */
export function showNotice(notice: TabNotice): void {
  notices = [...notices.filter((n) => n.id !== notice.id), notice];
  changed();
}

/** Takes a message away, if it still shows. */
export function dismissNotice(id: string): void {
  if (!notices.some((n) => n.id === id)) return;
  notices = notices.filter((n) => n.id !== id);
  changed();
}

const useStyles = makeStyles({
  corner: {
    position: 'fixed',
    insetInlineEnd: '16px',
    bottom: '16px',
    zIndex: 1000000,
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    maxWidth: 'min(440px, calc(100vw - 32px))',
  },
  notice: { boxShadow: tokens.shadow16 },
});

/** Where the tab's short-lived messages (a removal with Undo) appear; mounted once by the app. */
export function TabToaster() {
  const styles = useStyles();
  const shown = useSyncExternalStore(subscribe, () => notices);
  return (
    <div className={styles.corner}>
      {shown.map((notice) => (
        <TimedNotice key={notice.id} notice={notice} className={styles.notice} />
      ))}
    </div>
  );
}

function TimedNotice({ notice, className }: { notice: TabNotice; className: string }) {
  const [held, setHeld] = useState(false);
  const background = useWindowInBackground();
  const left = useRef(notice.timeout);
  useEffect(() => {
    if (held || background) return;
    const started = Date.now();
    const timer = setTimeout(() => dismissNotice(notice.id), left.current);
    return () => {
      clearTimeout(timer);
      left.current -= Date.now() - started;
    };
  }, [held, background, notice.id]);
  return (
    <div onPointerEnter={() => setHeld(true)} onPointerLeave={() => setHeld(false)}>
      <MessageBar className={className} intent={notice.intent} politeness={notice.intent === 'error' ? 'assertive' : 'polite'}>
        <MessageBarBody>{notice.text}</MessageBarBody>
        {notice.action && <MessageBarActions>{notice.action}</MessageBarActions>}
      </MessageBar>
    </div>
  );
}

function useWindowInBackground(): boolean {
  const [background, setBackground] = useState(false);
  useEffect(() => {
    const away = () => setBackground(true);
    const back = () => setBackground(false);
    window.addEventListener('blur', away);
    window.addEventListener('focus', back);
    return () => {
      window.removeEventListener('blur', away);
      window.removeEventListener('focus', back);
    };
  }, []);
  return background;
}
