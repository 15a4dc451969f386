import { afterEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway, type PatientClinical, type VitalKind } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import { columnCells } from '../../../contract/cells.js';
import { patientDetailsAnswer } from '../../../contract/patients.js';
import { showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';
import { outcome, partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { serveClinical, type ClinicalServerOptions } from './clinical-server.js';

/**
 * A vital kind the app could not read is never "none recorded": when the extra lookup a list row
 * makes for a kind its first page lacks fails, times out, is malformed, comes out of order, or is
 * read only in part (a server that ignores `status` fills its pages with records that are no
 * result), that kind reads "not available" with the reason in the list, the CSV and the details,
 * while the kinds that were read keep their values. DSTU2, STU3 and R4.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
type R = Record<string, unknown>;
/** The list's vital columns in these tests. */
const SHOWN: VitalKind[] = ['heartRate', 'temperature'];

const ehr = useFakeEhr();
afterEach(() => setLanguage('en'));

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

/**
 * 60 heart rates every five minutes (they fill the first page of 50, which links to more), then
 * temperatures with the statuses given, newest first: only the lookup of the kind finds them.
 */
function heartRatesAndTemperatures(release: Release, temperatures: Array<{ at: number; value: number; status: string }>): R[] {
  const rates = Array.from({ length: 60 }, (_, i) => ({
    code: '8867-4',
    value: 80,
    unit: '/min',
    ucum: '/min',
    time: iso(now - 5 * MIN - i * 5 * MIN),
  }));
  const temps = temperatures.map((t) => ({ code: '8310-5', value: t.value, unit: 'Cel', ucum: 'Cel', time: iso(t.at) }));
  const record: LogicalRecord = {
    ...sampleRecord('p1'),
    vitals: [...rates, ...temps],
    encounters: [],
    conditions: [],
    allergies: [],
    medications: [],
    coverage: [],
  };
  return writeRecord(record, release).map((r) => {
    const i = Number(String(r.id).split('-obs-')[1]);
    return r.resourceType === 'Observation' && i >= 60 ? { ...r, status: temperatures[i - 60].status } : r;
  });
}

const validTemperature = [{ at: now - 20 * HOUR, value: 38.4, status: 'final' }];
/** A lookup of one kind: an entry searched by `code`. */
const isLookup = (url: string) => url.startsWith('Observation') && url.includes('&code=');

async function listRow(release: Release, store: R[], options: Partial<ClinicalServerOptions> = {}): Promise<PatientClinical> {
  serveClinical(ehr, store, { release, ...options });
  const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, SHOWN);
  return rows.get('p1')!;
}

const csvRow = (cells: Record<string, unknown>): ListRow => ({
  patientId: 'p1',
  displayName: 'A',
  mrn: null,
  birthDate: '1960-01-01',
  gender: null,
  available: true,
  cells: cells as never,
});

/** What a clinician reads of the heart rate and temperature: the list cells (as the contract parses them), the tab's words and the CSV's. */
function whatIsRead(row: PatientClinical) {
  const cells = cellsFor(SHOWN, row, undefined);
  for (const kind of SHOWN) expect(columnCells[kind as 'heartRate'].parse(cells[kind])).toEqual(cells[kind]);
  return {
    cells,
    tab: SHOWN.map((kind) => showCell(kind, cells[kind], now).text),
    csvText: cellText('temperature', csvRow(cells), 'UTC'),
    csvValue: csvColumns('temperature', 'Temperature', 'UTC')[0].value(csvRow(cells)),
  };
}

describe.each(RELEASES)('a vital kind whose own lookup could not be read (%s)', (release) => {
  it.each([
    ['answered with an error', { status: 500, json: outcome('exception') }, 'failed'],
    ['answered with something that is not a searchset', { status: 200, json: { resourceType: 'Patient', id: 'p1' } }, 'malformed'],
  ] as const)('reads "not available" for that kind when its lookup is %s, and keeps the heart rate', async (_, reply, reason) => {
    const row = await listRow(release, heartRatesAndTemperatures(release, validTemperature), {
      entry: (url) => (isLookup(url) ? reply : undefined),
    });
    const read = whatIsRead(row);
    expect(read.cells.temperature).toEqual({ status: 'unavailable', reason });
    expect(read.cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: 80 } } });
    expect(read.tab).toEqual(['80/min', 'Not available']);
    expect(read.csvText).toBe('Not available');
    expect(read.csvValue).toBe('Not available');
    expect(row.warnings).toContainEqual({ code: 'vital_lookup_failed', count: 1 });
  });

  it('reads "not available" for that kind when the EHR fails the whole batch of lookups', async () => {
    const row = await listRow(release, heartRatesAndTemperatures(release, validTemperature), {
      batch: (request) => (request.body.includes('&code=') ? { status: 503, json: outcome('transient') } : undefined),
    });
    const read = whatIsRead(row);
    expect(read.cells.temperature).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(read.tab).toEqual(['80/min', 'Not available']);
  });

  it('reads "not available" for that kind when its lookup comes back out of order (its readings need not be the newest)', async () => {
    const row = await listRow(release, heartRatesAndTemperatures(release, validTemperature), {
      entry: (url) => {
        if (!isLookup(url)) return undefined;
        // Two temperatures, oldest first: the answer is no proof of what is newest, and none of it is used.
        const temps = heartRatesAndTemperatures(release, [
          { at: now - 30 * HOUR, value: 36.5, status: 'final' },
          { at: now - 20 * HOUR, value: 38.4, status: 'final' },
        ]).filter((r) => JSON.stringify(r.code).includes('8310-5'));
        return { status: 200, json: { resourceType: 'Bundle', type: 'searchset', entry: temps.map((resource) => ({ resource })) } };
      },
    });
    expect(whatIsRead(row).cells.temperature).toEqual({ status: 'unavailable', reason: 'failed' });
  });

  it('still reads "none recorded" for a kind whose lookup answered, complete, with no reading', async () => {
    const row = await listRow(release, heartRatesAndTemperatures(release, []));
    expect(whatIsRead(row).cells.temperature).toEqual({ status: 'none' });
  });
});

describe.each(RELEASES)('a vital kind behind records that are no result, from a server that ignores `status` (%s)', (release) => {
  const noResults = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      at: now - HOUR - i * MIN,
      value: 30 + i,
      status: ['entered-in-error', 'cancelled', 'registered'][i % 3],
    }));

  it.each([3, 8])('shows the valid temperature behind %i records that are no result (the lookup reads on, bounded)', async (n) => {
    const row = await listRow(release, heartRatesAndTemperatures(release, [...noResults(n), ...validTemperature]), { ignoreStatus: true });
    expect(whatIsRead(row).cells.temperature).toMatchObject({ status: 'ok', value: { value: { value: 38.4 } } });
  });

  it.each([12, 40])('reads "not available", never "none recorded", when %i records that are no result fill every page it reads', async (n) => {
    const row = await listRow(release, heartRatesAndTemperatures(release, [...noResults(n), ...validTemperature]), { ignoreStatus: true });
    const read = whatIsRead(row);
    expect(read.cells.temperature).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(read.tab).toEqual(['80/min', 'Not available']);
    expect(read.csvValue).toBe('Not available');
    // Bounded: the first batch, the lookup batch, then at most four more pages of the lookup.
    const reads = ehr.requests.filter((r) => r.method === 'POST' || r.url.pathname.startsWith('/fhir/Observation'));
    expect(reads.length).toBeLessThanOrEqual(2 + 4);
  });
});

describe.each(RELEASES)('the details panel, vital signs read in part (%s)', (release) => {
  it('reads "not available" for a kind on no page read when a later page failed, and keeps the kinds read', async () => {
    // 150 heart rates fill the first page of 100; the temperature is older, behind the page that fails.
    const rates = Array.from({ length: 150 }, (_, i) => ({
      code: '8867-4',
      value: 80,
      unit: '/min',
      ucum: '/min',
      time: iso(now - 5 * MIN - i * 5 * MIN),
    }));
    const temperature = { code: '8310-5', value: 38.4, unit: 'Cel', ucum: 'Cel', time: iso(now - 20 * HOUR) };
    const record: LogicalRecord = {
      ...sampleRecord('p1'),
      vitals: [...rates, temperature],
      encounters: [],
      conditions: [],
      allergies: [],
      medications: [],
      coverage: [],
    };
    serveClinical(ehr, writeRecord(record, release), {
      release,
      entry: (url, via) =>
        via === 'single' && url.startsWith('Observation') && url.includes('_offset=') ? { status: 503, json: outcome('transient') } : undefined,
    });
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    const answer = patientDetailsAnswer.shape.vitals.parse(details!.vitals);
    expect(answer).toMatchObject({
      status: 'ok',
      value: { heartRate: { value: { value: 80 } }, temperature: { kind: 'temperature', unavailable: 'failed' } },
    });
  });
});
