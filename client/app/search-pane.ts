import { useState } from 'react';

const key = 'patients.searchPaneOpen';

/** Whether the search pane beside the lists is open: open unless the user closed it, remembered for the browser session. */
export function useSearchPaneOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => read() !== 'false');
  return [
    open,
    (next: boolean) => {
      setOpen(next);
      write(String(next));
    },
  ];
}

// Storage can be refused (a sandboxed frame, privacy settings): then the choice lasts as long as the page.
function read(): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(value: string) {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Kept for this page only.
  }
}
