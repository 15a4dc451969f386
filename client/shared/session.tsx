import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from './api/api-client';

/** Who is using the tab, in which team, and the API bound to their token. */
export interface Session {
  userId: string;
  userName: string;
  tenantName: string;
  teamId: string;
  teamName: string;
  isOwner: boolean;
  api: Api;
  sandboxLinks?: { dstu2: string; stu3: string; r4: string };
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a SessionProvider');
  return session;
}
