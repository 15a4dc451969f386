import { expect } from 'vitest';
import { startManualTeam } from './audit-records';
import type { cast, TestServer } from './test-server';

/** A Manual team's test server with one hand-entered patient (`patient`, its id). */
export interface ManualTeamWithPatient {
  server: TestServer;
  who: ReturnType<typeof cast>;
  base: string;
  patient: string;
}

/**
 * A test server whose first team is in Manual mode (as startManualTeam) with one hand-entered
 * patient named `name` created by a member; `patient` is that patient's id.
 */
export async function startManualTeamWithPatient(name: string): Promise<ManualTeamWithPatient> {
  const { server, who, base } = await startManualTeam();
  try {
    const created = await server.api(who.member, 'POST', `${base}/manual-patients`, { name, values: {} });
    expect(created.status).toBe(201);
    return { server, who, base, patient: created.body.id as string };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
