import { MessageBar, MessageBarBody, makeStyles } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';
import { rateLimitWaits } from '../api/rate-limit';
import { durationText } from '../format';
import { t } from '../i18n/t';

const useStyles = makeStyles({
  corner: { position: 'fixed', bottom: '16px', left: '50%', transform: 'translateX(-50%)', zIndex: 1000, maxWidth: 'calc(100vw - 32px)' },
});

// The clock of the countdown, rounded up to the whole second (the same value until the next one,
// and never a second more to wait than there is), ticking only while there is a wait to count down.
const wholeSecond = () => Math.ceil(Date.now() / 1000) * 1000;
const everySecond = (tick: () => void) => {
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
};
const never = () => () => {};

/** While the tab waits out a "too many requests" answer before asking again: says so, counting down. */
export function RateLimitNotice() {
  const styles = useStyles();
  const until = useSyncExternalStore(rateLimitWaits.subscribe, rateLimitWaits.until, () => null);
  const now = useSyncExternalStore(until === null ? never : everySecond, wholeSecond, wholeSecond);
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
