/**
 * The team the personal tab opens on, remembered in this browser per tenant and user. Only a
 * preference: the server checks membership on every call.
 */
const keyFor = (tenantId: string, userId: string) => `patients.personal-team.${tenantId}.${userId}`;

export function rememberedTeam(tenantId: string, userId: string): string | null {
  try {
    return localStorage.getItem(keyFor(tenantId, userId));
  } catch {
    return null; // storage blocked (e.g. third-party frame settings): nothing remembered
  }
}

export function rememberTeam(tenantId: string, userId: string, teamId: string): void {
  try {
    localStorage.setItem(keyFor(tenantId, userId), teamId);
  } catch {
    // Not remembered; the user picks again next time.
  }
}
