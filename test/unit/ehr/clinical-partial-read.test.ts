import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalWarning, type EhrGateway } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { outcome, partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { serveClinical, type ClinicalServerOptions } from './clinical-server.js';

/**
 * A searchset's matches are all of its pages (FHIR http.html#paging, DSTU2, STU3 and R4). A list
 * cell never says "none recorded" or "no known allergies" from a set read only in part (a page that
 * failed, pages left unread, entries cut from a server that ignores `_count`): what was read shows
 * its current items, and without one the cell is "not available". A vital kind, the stay the patient
 * is in and the latest reading of a server that does not sort are read on rather than guessed.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
type R = Record<string, unknown>;

const ehr = useFakeEhr();
let reported: ClinicalWarning[];
beforeEach(() => {
  reported = [];
});

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: (w) => reported.push(...w) });

/** A record with nothing but what a test gives it. */
const bare = (id: string, record: Partial<LogicalRecord>): LogicalRecord => ({
  ...sampleRecord(id),
  vitals: [],
  encounters: [],
  conditions: [],
  allergies: [],
  medications: [],
  coverage: [],
  ...record,
});

const failing = { status: 503, json: outcome('transient') };
/** A single GET of a later page of one resource type (the fake server pages by `_offset`). */
const laterPage = (type: string) => (url: string, via: 'batch' | 'single') => via === 'single' && url.startsWith(type) && url.includes('_offset=');

async function listRow(release: Release, store: R[], parts: Parameters<EhrGateway['readClinical']>[3], options: Partial<ClinicalServerOptions> = {}) {
  serveClinical(ehr, store, { release, ...options });
  const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], parts);
  return rows.get('p1')!;
}

/** 100 resolved allergies, then one current high-criticality allergy to penicillin: on page 2 with `_count=100`. */
function allergiesBehindOld(release: Release): R[] {
  const old = Array.from({ length: 100 }, (_, i) => ({ substance: `Old reaction ${i}`, status: 'resolved', recorded: '2001-01-01' }));
  const resources = writeRecord(bare('p1', { allergies: [...old, { substance: 'Penicillin', status: 'active', recorded: '2010-05-01' }] }), release);
  return resources.map((r) => (r.id === 'p1-alg-100' ? { ...r, criticality: release === 'DSTU2' ? 'CRITH' : 'high' } : r));
}

describe.each(RELEASES)('allergies, drugs and coverage read in part (%s)', (release) => {
  it('says "not available", never "none recorded", when the page holding the only current allergy fails', async () => {
    const row = await listRow(release, allergiesBehindOld(release), ['allergies'], {
      entry: (url, via) => (laterPage('AllergyIntolerance')(url, via) ? failing : undefined),
    });
    expect(cellsFor(['allergies'], row, undefined).allergies).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.warnings).toContainEqual({ code: 'page_failed', count: 1 });
  });

  it('shows the current allergy when every page is read', async () => {
    const row = await listRow(release, allergiesBehindOld(release), ['allergies']);
    expect(cellsFor(['allergies'], row, undefined).allergies).toMatchObject({
      status: 'ok',
      value: [{ substance: 'Penicillin', criticality: 'high' }],
    });
  });

  it('says "not available" when a server ignoring `_count` sends more entries than are read, and none read is current', async () => {
    const resources = allergiesBehindOld(release);
    const patient = resources[0];
    const allergies = [...Array.from({ length: 150 }, (_, i) => ({ ...resources[1 + (i % 100)], id: `old-${i}` })), resources[101]];
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: allergies.map((resource) => ({ resource, search: { mode: 'match' } })) };
    const row = await listRow(release, [patient, ...allergies], ['allergies'], {
      entry: (url) => (url.startsWith('AllergyIntolerance') ? { status: 200, json: bundle } : undefined),
    });
    expect(cellsFor(['allergies'], row, undefined).allergies).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.warnings).toContainEqual(expect.objectContaining({ code: 'entries_over_limit' }));
  });

  it('keeps the current allergies it read when a later page fails (they are true)', async () => {
    const resources = allergiesBehindOld(release).map((r) =>
      r.id === 'p1-alg-0'
        ? {
            ...writeRecord(bare('p1', { allergies: [{ substance: 'Latex', status: 'active', recorded: '2012-01-01' }] }), release)[1],
            id: 'p1-alg-0',
          }
        : r,
    );
    const row = await listRow(release, resources, ['allergies'], {
      entry: (url, via) => (laterPage('AllergyIntolerance')(url, via) ? failing : undefined),
    });
    expect(cellsFor(['allergies'], row, undefined).allergies).toMatchObject({ status: 'ok', value: [{ substance: 'Latex' }] });
  });

  it('says "not available" when the drugs are more pages than a list reads and none read is current', async () => {
    const drugs = Array.from({ length: 501 }, (_, i) => ({ name: `Old drug ${i}`, dosage: '1 daily', written: '2020-01-01', prescriber: 'Dr. Lee' }));
    const resources = writeRecord(bare('p1', { medications: drugs }), release).map((r) =>
      r.id === 'p1-rx-500' || r.resourceType === 'Patient' ? r : { ...r, status: 'stopped' },
    );
    const row = await listRow(release, resources, ['medications']);
    expect(cellsFor(['medications'], row, undefined).medications).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.warnings).toContainEqual({ code: 'pages_truncated', count: 1 });
  });

  it('says "not available" for problems when the page holding the only current one fails', async () => {
    const old = Array.from({ length: 100 }, (_, i) => ({ display: `Old problem ${i}`, status: 'resolved' }));
    const store = writeRecord(bare('p1', { conditions: [...old, { display: 'Sepsis', status: 'active' }] }), release);
    const row = await listRow(release, store, ['conditions'], { entry: (url, via) => (laterPage('Condition')(url, via) ? failing : undefined) });
    expect(cellsFor(['conditions'], row, undefined).conditions).toEqual({ status: 'unavailable', reason: 'failed' });

    ehr.reset();
    const whole = await listRow(release, store, ['conditions']);
    expect(cellsFor(['conditions'], whole, undefined).conditions).toMatchObject({ status: 'ok', value: [{ display: 'Sepsis' }] });
  });

  it('reads coverage past its first page: the one in force after 25 ended ones is shown', async () => {
    const ended = Array.from({ length: 25 }, (_, i) => ({
      payer: `Old Payer ${i}`,
      plan: 'Old',
      group: 'G',
      subscriberId: `S-${i}`,
      start: `${1990 + i}-01-01`,
      end: `${1990 + i}-12-31`,
    }));
    const current = {
      payer: 'Medicare',
      plan: 'Part A',
      group: 'G',
      subscriberId: 'S-now',
      start: iso(now - 30 * DAY).slice(0, 10),
      end: iso(now + 300 * DAY).slice(0, 10),
    };
    const store = writeRecord(bare('p1', { coverage: [...ended, current] }), release);
    const row = await listRow(release, store, ['coverage']);
    expect(cellsFor(['coverage'], row, undefined).coverage).toMatchObject({ status: 'ok', value: [{ payer: 'Medicare' }] });

    ehr.reset();
    const failed = await listRow(release, store, ['coverage'], { entry: (url, via) => (laterPage('Coverage')(url, via) ? failing : undefined) });
    expect(cellsFor(['coverage'], failed, undefined).coverage).toEqual({ status: 'unavailable', reason: 'failed' });
  });
});

describe('an allergy List stating none known, with the allergies read in part (R4)', () => {
  it('never says "no known allergies" when the page holding the current allergy fails', async () => {
    const list = {
      resourceType: 'List',
      id: 'nka',
      status: 'current',
      mode: 'snapshot',
      subject: { reference: 'Patient/p1' },
      code: { coding: [{ system: 'http://loinc.org', code: '52473-6' }] },
      date: '2015-03-01',
      emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'nilknown' }] },
    };
    const row = await listRow('R4', [...allergiesBehindOld('R4'), list], ['allergies'], {
      resources: ['Patient', 'AllergyIntolerance', 'List'],
      entry: (url, via) => (laterPage('AllergyIntolerance')(url, via) ? failing : undefined),
    });
    expect(cellsFor(['allergies'], row, undefined).allergies).toEqual({ status: 'unavailable', reason: 'failed' });
  });
});

/** Heart rates every five minutes up to now (60 of them fill the first page), and temperatures. */
function heartRatesAndTemperatures(release: Release, temperatures: Array<{ at: number; value: number; status: string }>): R[] {
  const rates = Array.from({ length: 60 }, (_, i) => ({
    code: '8867-4',
    value: 80,
    unit: '/min',
    ucum: '/min',
    time: iso(now - HOUR - i * 5 * 60_000),
  }));
  const temps = temperatures.map((t) => ({ code: '8310-5', value: t.value, unit: 'Cel', ucum: 'Cel', time: iso(t.at) }));
  const resources = writeRecord(bare('p1', { vitals: [...rates, ...temps] }), release);
  return resources.map((r) => {
    const i = Number(String(r.id).split('-obs-')[1]);
    return r.resourceType === 'Observation' && i >= 60 ? { ...r, status: temperatures[i - 60].status } : r;
  });
}

describe.each(RELEASES)('the latest vital sign, read past records that are no result (%s)', (release) => {
  it('shows a valid older temperature when the two newest were entered in error', async () => {
    const store = heartRatesAndTemperatures(release, [
      { at: now - 8 * HOUR, value: 3.9, status: 'entered-in-error' },
      { at: now - 8 * HOUR - 60_000, value: 39.0, status: 'entered-in-error' },
      { at: now - 11 * HOUR, value: 39.6, status: 'final' },
    ]);
    serveClinical(ehr, store, { release });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate', 'temperature']);
    expect(cellsFor(['temperature'], rows.get('p1')!, undefined).temperature).toMatchObject({ status: 'ok', value: { value: { value: 39.6 } } });
  });

  it('reads on when a server ignores the `status` filter and the kind has no result yet', async () => {
    const store = heartRatesAndTemperatures(release, [
      { at: now - 8 * HOUR, value: 3.9, status: 'entered-in-error' },
      { at: now - 8 * HOUR - 60_000, value: 39.0, status: 'entered-in-error' },
      { at: now - 9 * HOUR, value: 30.0, status: 'cancelled' },
      { at: now - 11 * HOUR, value: 39.6, status: 'final' },
    ]);
    // The temperature lookup answered two at a time, newest first, as if `status` were not there.
    const temperatures = store.filter((r) => r.resourceType === 'Observation' && JSON.stringify(r.code).includes('8310-5'));
    serveClinical(ehr, store, {
      release,
      entry: (url) => {
        if (!url.startsWith('Observation') || !url.includes('status=')) return undefined;
        const offset = Number(/_offset=(\d+)/.exec(url)?.[1] ?? 0);
        const link =
          offset + 2 < temperatures.length ? [{ relation: 'next', url: `${ehr.base}/${url.replace(/&_offset=\d+/, '')}&_offset=${offset + 2}` }] : [];
        const entry = temperatures.slice(offset, offset + 2).map((resource) => ({ resource }));
        return { status: 200, json: { resourceType: 'Bundle', type: 'searchset', link, entry } };
      },
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate', 'temperature']);
    expect(cellsFor(['temperature'], rows.get('p1')!, undefined).temperature).toMatchObject({ status: 'ok', value: { value: { value: 39.6 } } });
  });
});

describe.each(RELEASES)('the latest vital sign from a server that does not sort (%s)', (release) => {
  /** Heart rates hourly, oldest first as the server keeps them: the newest is 148/min. */
  function oldestFirst(count: number): R[] {
    const rates = Array.from({ length: count }, (_, i) => ({
      code: '8867-4',
      value: i === count - 1 ? 148 : 72,
      unit: '/min',
      ucum: '/min',
      time: iso(now - (count - i) * HOUR),
    }));
    return writeRecord(bare('p1', { vitals: rates }), release);
  }

  it('reads every page and shows the newest reading, never an old one as the latest', async () => {
    serveClinical(ehr, oldestFirst(150), { release, ignoreSort: true });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate']);
    expect(cellsFor(['heartRate'], rows.get('p1')!, undefined).heartRate).toMatchObject({ status: 'ok', value: { value: { value: 148 } } });
  });

  it('says "not available" when the pages are more than a list reads', async () => {
    serveClinical(ehr, oldestFirst(400), { release, ignoreSort: true });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate']);
    expect(cellsFor(['heartRate'], rows.get('p1')!, undefined).heartRate).toEqual({ status: 'unavailable', reason: 'failed' });
  });
});

describe.each(RELEASES)('the stay the patient is in, behind newer finished visits (%s)', (release) => {
  /** In hospital since ten days ago; twelve dialysis sessions since, each a finished ambulatory encounter. */
  function stayWithSessions(): R[] {
    const sessions = Array.from({ length: 12 }, (_, i) => ({
      inpatient: false,
      type: 'Haemodialysis session',
      start: iso(now - (9 - i * 0.5) * DAY),
      end: iso(now - (9 - i * 0.5) * DAY + 2 * HOUR),
    }));
    const admitted = iso(now - 10 * DAY);
    return writeRecord(
      bare('p1', { encounters: [{ inpatient: true, type: 'Admission', start: admitted, location: 'Ward 5, Room 12, Bed 3' }, ...sessions] }),
      release,
    );
  }

  it('asks for the ongoing stays and shows the ward and the admission', async () => {
    const row = await listRow(release, stayWithSessions(), ['encounter']);
    const cells = cellsFor(['location', 'admissionDate'], row, undefined);
    expect(cells.location).toMatchObject({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 3' } });
    expect(cells.admissionDate).toMatchObject({ status: 'ok', value: { text: iso(now - 10 * DAY) } });
  });

  it('says "not available" when that search fails, never a past visit\'s "none recorded"', async () => {
    const row = await listRow(release, stayWithSessions(), ['encounter'], {
      entry: (url) => (url.startsWith('Encounter') && url.includes('status=') ? failing : undefined),
    });
    expect(cellsFor(['location'], row, undefined).location).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.warnings).toContainEqual({ code: 'stay_lookup_failed', count: 1 });
  });
});

describe.each(RELEASES)('the details panel read in part (%s)', (release) => {
  it('says "not available" for allergies when the page holding the only current allergy fails', async () => {
    serveClinical(ehr, allergiesBehindOld(release), {
      release,
      entry: (url, via) => (laterPage('AllergyIntolerance')(url, via) ? failing : undefined),
    });
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(details!.allergies).toEqual({ status: 'unavailable', reason: 'failed' });
  });

  it('says "not available" for the latest vital signs of a server that does not sort and has more pages than are read', async () => {
    const rates = Array.from({ length: 1050 }, (_, i) => ({
      code: '8867-4',
      value: 72,
      unit: '/min',
      ucum: '/min',
      time: iso(now - (1050 - i) * HOUR),
    }));
    serveClinical(ehr, writeRecord(bare('p1', { vitals: rates }), release), { release, ignoreSort: true });
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(details!.vitals).toEqual({ status: 'unavailable', reason: 'failed' });
    // The readings read stay in the history.
    expect(details!.vitalHistory).toMatchObject({ status: 'ok' });
  });
});
