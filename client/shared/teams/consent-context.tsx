import { createContext, useContext, type ReactNode } from 'react';

/** In Teams: the user's way to reopen the Graph consent popup after closing it. */
export interface ConsentRetry {
  asking: boolean;
  retry(): void;
  /** The user's tenant, for the link that lets its administrator consent for everyone. */
  tenantId?: string;
}

const ConsentContext = createContext<ConsentRetry | null>(null);

export function ConsentProvider({ value, children }: { value: ConsentRetry; children: ReactNode }) {
  return <ConsentContext.Provider value={value}>{children}</ConsentContext.Provider>;
}

/** Null outside Teams (dev mode has no consent flow). */
export const useConsentRetry = (): ConsentRetry | null => useContext(ConsentContext);
