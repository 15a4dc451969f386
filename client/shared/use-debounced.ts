import { useEffect, useState } from 'react';

/**
 * The value once it has stayed the same for `ms`: a query per pause in typing, not per keystroke.
 * Values are compared by their JSON, so a criteria object built afresh at each render is the same
 * value while its fields are.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return debounced;
}
