import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundles } from '../../../server/sandbox/data/load-bundles';

const dir = mkdtempSync(join(tmpdir(), 'patients-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (path: string, content: unknown) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
};

const patientUuid = 'urn:uuid:0f6e0c9a-1d2b-4c3d-8e4f-5a6b7c8d9e01';
write('stu3/smart/patient-1.json', {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      fullUrl: '/Patient/smart-1',
      resource: { resourceType: 'Patient', name: [{ family: 'Put' }] },
      request: { method: 'PUT', url: 'Patient/smart-1' },
    },
    { fullUrl: patientUuid, resource: { resourceType: 'Patient', name: [{ family: 'Uuid' }] }, request: { method: 'POST', url: 'Patient' } },
  ],
});
// A second part of the same bundle refers to a resource of the first part by its urn:uuid.
write('stu3/smart/patient-1.01.json', {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      resource: { resourceType: 'Observation', id: 'obs-1', subject: { reference: patientUuid } },
      request: { method: 'PUT', url: 'Observation/obs-1' },
    },
  ],
});
write('stu3/notes.txt', 'not a bundle');
write('dstu2/a/b/collection.json', {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: 'urn:uuid:p-1', resource: { resourceType: 'Patient', id: 'keep-me', name: [{ family: ['Collected'] }] } },
    { fullUrl: 'urn:uuid:c-1', resource: { resourceType: 'Condition', id: 'c-1', patient: { reference: 'urn:uuid:p-1' }, code: { text: 'Asthma' } } },
  ],
});

describe('loading a folder of bundles', () => {
  it('applies transaction entries: PUT keeps its id, POST takes the urn:uuid, references resolve across parts', () => {
    const resources = loadBundles(dir, 'stu3');
    // Name order puts the `.01` part first: its reference still resolves to the later file's patient.
    expect(resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Observation/obs-1',
      'Patient/smart-1',
      'Patient/0f6e0c9a-1d2b-4c3d-8e4f-5a6b7c8d9e01',
    ]);
    const obs = resources.find((r) => r.resourceType === 'Observation')!;
    expect(obs.subject.reference).toBe('Patient/0f6e0c9a-1d2b-4c3d-8e4f-5a6b7c8d9e01');
  });

  it('reads collection bundles in nested folders, keeping ids and rewriting urn:uuid references', () => {
    const resources = loadBundles(dir, 'dstu2');
    expect(resources.map((r) => r.id)).toEqual(['keep-me', 'c-1']);
    expect(resources[1].patient.reference).toBe('Patient/keep-me');
  });

  it('gives nothing for a missing release folder and names a file that is not JSON', () => {
    expect(loadBundles(dir, 'r4')).toEqual([]);
    write('r4/broken.json', '{"resourceType": "Bundle",');
    expect(() => loadBundles(dir, 'r4')).toThrow(/r4\/broken\.json is not valid JSON/);
  });
});
