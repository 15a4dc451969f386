import { useCallback, useRef } from 'react';

/**
 * Sends one request at a time from a form: a double click submits twice before React has disabled
 * the button, and the second would add the same thing again (or, sent against the version the
 * first one just replaced, be refused as a conflict). `send` gets `done`, to call once the request
 * has settled; a call meanwhile is dropped.
 */
export function useOneAtATime(): (send: (done: () => void) => void) => void {
  const busy = useRef(false);
  return useCallback((send) => {
    if (busy.current) return;
    busy.current = true;
    send(() => {
      busy.current = false;
    });
  }, []);
}
