import { MessageBar, MessageBarBody, makeStyles } from '@fluentui/react-components';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { rateLimitWaits } from '../api/rate-limit';
import { durationText } from '../format';
import { t } from '../i18n/t';

const useStyles = makeStyles({
  corner: { position: 'fixed', bottom: '16px', left: '50%', transform: 'translateX(-50%)', zIndex: 1000, maxWidth: 'calc(100vw - 32px)' },
});

/** While the tab waits out a "too many requests" answer before asking again: says so, counting down. */
export function RateLimitNotice() {
  const styles = useStyles();
  const until = useSyncExternalStore(rateLimitWaits.subscribe, rateLimitWaits.until, () => null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  if (until === null) return null;
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return (
    <div className={styles.corner}>
      <MessageBar intent="warning" role="status">
        <MessageBarBody>{t('api.rateLimitWait', { duration: durationText(seconds) })}</MessageBarBody>
      </MessageBar>
    </div>
  );
}
