import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listColumns } from '../../../contract/columns';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
// Every built-in column, in the contract's order.
const allColumns = [...listColumns];

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

describe.each(['r4', 'stu3', 'dstu2'] as const)('a list with every column, from the sandbox %s endpoint', (version) => {
  it('carries vitals, location, conditions, allergies, medications, coverage and notes on each row, and exports them', async () => {
    const base = `/api/teams/${who.team.id}`;
    await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[version], name: version });
    const patients = (await server.api(who.owner, 'GET', `${base}/patients?gender=male&count=3`)).body.patients;
    const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: `Full ${version}` })).body;
    await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { columns: allColumns });
    await server.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
    await server.api(who.member, 'POST', `${base}/patients/${patients[0].id}/notes`, { text: '=HYPERLINK("x") check drain' });

    const view = (await server.api(who.member, 'GET', `${base}/lists/${list.id}`)).body;
    expect(view.columns).toEqual(allColumns);
    expect(view.rows).toHaveLength(3);
    for (const row of view.rows) {
      expect(row.available).toBe(true);
      expect(Object.keys(row.cells).sort()).toEqual(allColumns.slice(4).sort());
      expect(row.cells.location).toMatchObject({ status: 'ok', value: { room: expect.any(String), bed: expect.any(String) } });
      expect(row.cells.admissionDate.status).toBe('ok');
      expect(row.cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: expect.any(Number) } } });
      expect(row.cells.bloodPressure).toMatchObject({ status: 'ok', value: { systolic: { unit: 'mmHg' }, diastolic: { unit: 'mmHg' } } });
      expect(row.cells.temperature).toMatchObject({ status: 'ok', value: { value: { unit: '°C' } } });
      expect(row.cells.coverage).toMatchObject({ status: 'ok', value: [{ payer: expect.any(String), plan: expect.any(String) }] });
      expect(row.cells.careProvider).toMatchObject({ status: 'ok', value: expect.stringMatching(/^Dr\. /) });
      for (const part of ['conditions', 'allergies', 'medications']) expect(['ok', 'none']).toContain(row.cells[part].status);
      // A list cell carries what the list shows of each item; the details panel has the whole record.
      const shown = {
        conditions: ['clinicalStatus', 'display'],
        allergies: ['criticality', 'substance'],
        medications: ['name', 'status'],
        coverage: ['payer', 'plan', 'selfPay'],
      };
      // Marks an item carries only when they apply (an intolerance, a severe reaction).
      const marks: Record<string, string[]> = { allergies: ['intolerance', 'severeReaction'] };
      for (const [part, keys] of Object.entries(shown))
        for (const item of row.cells[part].value ?? []) {
          const own = Object.keys(item).filter((key) => !(marks[part] ?? []).includes(key));
          expect(own.sort()).toEqual(keys);
          for (const mark of marks[part] ?? []) if (mark in item) expect(item[mark]).toBe(true);
        }
      expect(Object.keys(row.cells.heartRate.value).sort()).toEqual(['time', 'value']);
    }
    expect(view.rows[0].cells.latestNote).toMatchObject({ status: 'ok', value: { text: '=HYPERLINK("x") check drain' } });
    expect(view.rows[1].cells.latestNote).toEqual({ status: 'none' });

    const res = await fetch(`${server.url}${base}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` },
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    const lines = csv.split('\r\n');
    // Each vital sign in value, unit, time and flag columns (SpO2 also the oxygen it was taken on); times in UTC unless a zone is asked for.
    const vital = (name: string) => [name, `${name} unit`, `${name} time (UTC)`, `${name} flag`, ...(name === 'SpO2' ? ['SpO2 oxygen'] : [])];
    expect(lines[0]).toBe(
      '\uFEFF' +
        [
          ...['Name', 'MRN', 'Birth date', 'Gender', 'Location', 'Admission date (UTC)'],
          ...vital('Heart rate'),
          ...['Blood pressure systolic', 'Blood pressure diastolic', 'Blood pressure unit', 'Blood pressure time (UTC)', 'Blood pressure flag'],
          ...['Respiratory rate', 'Temperature', 'SpO2', 'Weight', 'Height', 'BMI'].flatMap(vital),
          ...['Conditions', 'Allergies', 'Medications', 'Coverage', 'Care provider', 'Latest note (UTC)'],
        ].join(','),
    );
    expect(lines).toHaveLength(5);
    expect(lines[1].startsWith(`${patients[0].displayName},${patients[0].mrn},`)).toBe(true);
    expect(lines[1]).toContain('"\'=HYPERLINK(""x"") check drain');
    expect(lines[1]).toMatch(/Room \w+/);
  });
});

it('exports an empty list as its header line only', async () => {
  const base = `/api/teams/${who.team.id}`;
  const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Empty' })).body;
  const res = await fetch(`${server.url}${base}/lists/${list.id}/export.csv`, {
    headers: { authorization: `Bearer ${await server.tokenFor(who.owner)}` },
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('Name,MRN,Birth date,Gender\r\n');
});
