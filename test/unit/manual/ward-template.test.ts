import { describe, expect, it } from 'vitest';
import { changesSource, sourceChangeImpact } from '../../../contract/connection';
import { schemaBody } from '../../../contract/manual';
import { wardTemplate, type TemplateLanguage } from '../../../contract/manual-template';

const languages: TemplateLanguage[] = ['en', 'ru', 'zh-CN', 'zh-TW'];

describe('the ward template', () => {
  it('offers the fields a ward list carries, with the types people use for them', () => {
    const types = Object.fromEntries(wardTemplate('en').map((f) => [f.id, f.type]));
    expect(types).toEqual({
      bed: 'text',
      status: 'choice',
      assignedNurse: 'person',
      admissionDate: 'date',
      diagnosis: 'longText',
      codeStatus: 'choice',
      isolation: 'choice',
    });
    const status = wardTemplate('en').find((f) => f.id === 'status')!;
    expect(status.colours).toMatchObject({ Stable: 'green', Critical: 'red' });
  });

  it.each(languages)('is a schema the server takes as it is, in %s', (language) => {
    const parsed = schemaBody.safeParse({ fields: wardTemplate(language), version: 0 });
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('keeps the same field ids and choice counts in every language, with words of that language', () => {
    const en = wardTemplate('en');
    for (const language of languages) {
      const fields = wardTemplate(language);
      expect(fields.map((f) => f.id)).toEqual(en.map((f) => f.id));
      fields.forEach((f, i) => {
        expect(f.choices?.length).toBe(en[i]!.choices?.length);
        // Every coloured choice is one of the field's choices (a colour never names a missing choice).
        for (const choice of Object.keys(f.colours ?? {})) expect(f.choices).toContain(choice);
        if (language !== 'en') expect(f.label).not.toBe(en[i]!.label);
      });
    }
  });

  it('gives each call its own copy, so editing one start does not change the next', () => {
    const first = wardTemplate('en');
    first[0]!.label = 'Changed';
    first.find((f) => f.id === 'status')!.choices!.push('Other');
    expect(wardTemplate('en')[0]!.label).toBe('Bed');
    expect(wardTemplate('en').find((f) => f.id === 'status')!.choices).not.toContain('Other');
  });
});

describe('a change of the patients’ source', () => {
  const ehr = { mode: 'ehr' as const, url: 'https://ehr.example/fhir', name: 'A', fhirVersion: 'R4' as const, auth: 'none' as const, resources: [] };

  it('is a change of mode or of EHR link, not a first choice or a new name for the same link', () => {
    expect(changesSource({ mode: 'unset' }, { mode: 'manual' })).toBe(false);
    expect(changesSource(ehr, { mode: 'manual' })).toBe(true);
    expect(changesSource({ mode: 'manual' }, { mode: 'ehr', url: ehr.url })).toBe(true);
    expect(changesSource(ehr, { mode: 'ehr', url: 'https://other.example/fhir' })).toBe(true);
    expect(changesSource(ehr, { mode: 'ehr', url: `${ehr.url}/` })).toBe(false);
    expect(changesSource({ mode: 'manual' }, { mode: 'manual' })).toBe(false);
  });

  it('counts the lists that hold patients and the patients they hold', () => {
    expect(sourceChangeImpact([{ patientCount: 0 }, { patientCount: 38 }, { patientCount: 2 }, { patientCount: 1 }])).toEqual({
      lists: 3,
      patients: 41,
    });
    expect(sourceChangeImpact([])).toEqual({ lists: 0, patients: 0 });
  });
});
