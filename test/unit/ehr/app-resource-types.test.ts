import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appResourceTypes } from '../../../contract/connection.js';

// A connection keeps, of what its EHR's capability statement lists, only `appResourceTypes`: a
// type the EHR code asks `ctx.server.resources` about must be among them, or it would never be read.

const root = join(__dirname, '../../../server/ehr');
const sources = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(root, f), 'utf8'));

describe('the resource types a connection keeps', () => {
  it('include every type the EHR code looks for among what the EHR offers', () => {
    const asked = new Set<string>();
    for (const source of sources) for (const m of source.matchAll(/resources\.includes\('([A-Za-z]+)'\)/g)) asked.add(m[1]);
    // The types a clinical part is searched on (queries.ts), and the care providers a Patient names (adapters/patient.ts).
    const queries = readFileSync(join(root, 'clinical/queries.ts'), 'utf8');
    const candidates = queries.slice(queries.indexOf('const CANDIDATES'), queries.indexOf('function partType'));
    for (const m of candidates.matchAll(/'([A-Z][A-Za-z]+)'/g)) asked.add(m[1]);
    const patient = readFileSync(join(root, 'adapters/patient.ts'), 'utf8');
    for (const m of patient.matchAll(/\^\(([A-Za-z|]+)\)\\\//g)) for (const type of m[1].split('|')) asked.add(type);
    expect(asked.size).toBeGreaterThan(8);
    expect([...asked].filter((type) => !(appResourceTypes as readonly string[]).includes(type))).toEqual([]);
  });

  it('are FHIR resource type names, each once', () => {
    expect(new Set(appResourceTypes).size).toBe(appResourceTypes.length);
    for (const type of appResourceTypes) expect(type).toMatch(/^[A-Z][A-Za-z]{1,63}$/);
  });
});
