import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vitalFlag } from '../../../contract/vital-ranges';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Vital signs as the sandbox records them: some patients' temperatures are oral (LOINC 8331-1) and
 * their weights measured (3141-9), and some readings are outside the NEWS2 bands. Every row shows
 * a temperature and a weight, values are rounded per kind, and the contract's table flags values.
 */
let server: TestServer;
let who: ReturnType<typeof cast>;
const vitalColumns = ['heartRate', 'bloodPressure', 'respiratoryRate', 'temperature', 'spo2', 'weight', 'height', 'bmi'];

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

const decimals = (value: number) => (Number.isInteger(value) ? 0 : String(value).split('.')[1].length);

describe.each(['r4', 'stu3', 'dstu2'] as const)('vital signs from the sandbox %s endpoint', (version) => {
  it('reads oral temperatures and measured weights, rounds per kind, and has flagged values', async () => {
    const base = `/api/teams/${who.team.id}`;
    await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[version], name: version });
    const found = [
      ...(await server.api(who.owner, 'GET', `${base}/patients?gender=female&count=12`)).body.patients,
      ...(await server.api(who.owner, 'GET', `${base}/patients?gender=male&count=12`)).body.patients,
    ] as { id: string }[];
    const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: `Vitals ${version}` })).body;
    await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { columns: ['name', ...vitalColumns] });
    await server.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: found.map((p) => p.id) });
    const view = (await server.api(who.member, 'GET', `${base}/lists/${list.id}`)).body;
    expect(view.rows.length).toBeGreaterThanOrEqual(20);

    const flags: string[] = [];
    for (const row of view.rows) {
      // A duplicate record the EHR replaced holds nothing current: its cells say so (test/integration/api/patient-row.test.ts).
      if (row.recordNotice?.kind === 'replaced') {
        expect(row.cells.temperature).toEqual({ status: 'unavailable', reason: 'replaced_record' });
        continue;
      }
      // Every patient has temperatures and weights, whatever code they carry.
      expect(row.cells.temperature).toMatchObject({ status: 'ok', value: { value: { unit: '°C' } } });
      expect(row.cells.weight).toMatchObject({ status: 'ok', value: { value: { unit: 'kg' } } });
      expect(row.cells.bmi).toMatchObject({ status: 'ok', value: { value: { unit: 'kg/m²' } } });
      expect(row.cells.heartRate).toMatchObject({ status: 'ok', value: { value: { unit: '/min' } } });
      for (const column of ['heartRate', 'respiratoryRate', 'spo2', 'height']) expect(decimals(row.cells[column].value.value.value)).toBe(0);
      for (const column of ['temperature', 'weight', 'bmi']) expect(decimals(row.cells[column].value.value.value)).toBeLessThanOrEqual(1);
      for (const column of ['heartRate', 'respiratoryRate', 'spo2', 'temperature']) {
        const { value, unit } = row.cells[column].value.value;
        const flag = vitalFlag(column, value, unit);
        if (flag) flags.push(`${column}:${flag}`);
      }
      const systolic = row.cells.bloodPressure.value.systolic;
      const flag = vitalFlag('systolic', systolic.value, systolic.unit);
      if (flag) flags.push(`systolic:${flag}`);
    }
    // The sandbox's SpO2 goes down to 89 % and its heart rates up to 115/min: some are flagged.
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.some((f) => f.startsWith('spo2:'))).toBe(true);
  });
});
