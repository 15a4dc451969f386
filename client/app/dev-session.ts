import { queryOptions } from '@tanstack/react-query';
import { createApi, type TokenSource } from '../shared/api/api-client';
import { t } from '../shared/i18n/t';
import type { Session } from '../shared/session';

/** The dev directory and sandbox links (`GET /dev/info`, dev mode only). */
export interface DevInfo {
  tenants: { id: string; name: string; teams: { id: string; name: string; owners: string[]; members: string[] }[] }[];
  users: { id: string; name: string; tenantId: string }[];
  sandbox: { fhir: { dstu2: string; stu3: string; r4: string } };
}

/** The key of the dev directory. */
export const devInfoKey = () => ['dev-info'] as const;

/** The dev directory, read before anyone is signed in (so without the API's token). */
export const devInfoQuery = () =>
  queryOptions({
    queryKey: devInfoKey(),
    queryFn: async () => {
      const res = await fetch('/dev/info');
      if (!res.ok) throw new Error(t('signin.unavailable'));
      return (await res.json()) as DevInfo;
    },
  });

const STORAGE_KEY = 'patients.dev-session';

export interface DevChoice {
  userId: string;
  teamId: string;
}

export function savedChoice(): DevChoice | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    return saved && typeof saved.userId === 'string' && typeof saved.teamId === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export function saveChoice(choice: DevChoice | null): void {
  if (choice) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** Tokens from the dev identity provider, renewed a minute before they expire; one renewal at a time. */
function devTokenSource(userId: string): TokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  return async ({ refresh = false } = {}) => {
    if (refresh) cached = null;
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    pending ??= (async () => {
      const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
      if (!res.ok) throw new Error(t('signin.failed'));
      const body = (await res.json()) as { access_token: string; expires_in: number };
      cached = { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
      return body.access_token;
    })().finally(() => (pending = null));
    return pending;
  };
}

/** A session for a dev user and team, or null when the choice no longer fits the directory. */
export function devSession(info: DevInfo, choice: DevChoice): Session | null {
  const user = info.users.find((u) => u.id === choice.userId);
  const tenant = info.tenants.find((tn) => tn.id === user?.tenantId);
  const team = tenant?.teams.find((tm) => tm.id === choice.teamId && tm.members.includes(choice.userId));
  if (!user || !tenant || !team) return null;
  return {
    userId: user.id,
    userName: user.name,
    tenantName: tenant.name,
    teamId: team.id,
    teamName: team.name,
    isOwner: team.owners.includes(user.id),
    api: createApi(devTokenSource(user.id)),
    sandboxLinks: info.sandbox.fhir,
  };
}
