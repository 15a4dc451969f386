import { describe, expect, it } from 'vitest';
import { Problem } from '../../../../server/platform/problem';
import { ehrOnlyColumns, listColumns } from '../../../../contract/columns';
import { checkColumns, columnProblems } from '../../../../server/features/lists/columns';

const fields = [
  { id: 'acuity', label: 'Acuity' },
  { id: 'drains', label: 'Drains' },
];

describe('columnProblems', () => {
  it('accepts every built-in column in every mode, and the schema’s fields in Manual mode', () => {
    for (const mode of ['ehr', 'manual', 'unset'] as const) expect(columnProblems([...listColumns], mode, fields)).toBeNull();
    expect(columnProblems(['name', 'field:acuity', 'heartRate', 'field:drains'], 'manual', fields)).toBeNull();
  });

  it('accepts the EHR-only clinical columns in Manual mode, where they show as not offered', () => {
    expect(ehrOnlyColumns.has('heartRate')).toBe(true);
    expect(ehrOnlyColumns.has('location')).toBe(false);
    expect(columnProblems(['name', ...ehrOnlyColumns], 'manual', [])).toBeNull();
  });

  it('refuses a field column that is not a field of the team’s schema, naming it', () => {
    const problem = columnProblems(['name', 'field:anything'], 'manual', fields);
    expect(problem).toBe("Unknown column “field:anything”: this team's own fields are field:acuity (Acuity), field:drains (Drains).");
    expect(columnProblems(['field:acuity'], 'manual', [])).toBe('Unknown column “field:acuity”: this team has no fields of its own yet.');
  });

  it('refuses field columns outside Manual mode', () => {
    expect(columnProblems(['name', 'field:acuity'], 'ehr', fields)).toBe(
      'Unknown column “field:acuity”: team fields are columns in Manual mode only, and this team is connected to an EHR. Remove the column.',
    );
    expect(columnProblems(['field:acuity'], 'unset', fields)).toContain('is not set up yet');
  });

  it.each([
    ['anything'],
    ['Name'],
    ['field:'],
    ['field:Acuity'],
    ['field:__proto__'],
    ['field:constructor'],
    ['constructor'],
    ['__proto__'],
    ['toString'],
    [''],
    ['field:acuity '],
  ])('refuses the unknown column %j', (column) => {
    const problem = columnProblems(['name', column], 'manual', fields);
    expect(problem).toMatch(/^Unknown column “/);
    expect(problem).toContain(`“${column}”`);
  });

  it('lists the built-in columns when a column is unknown', () => {
    expect(columnProblems(['pulse'], 'ehr', [])).toBe(
      `Unknown column “pulse”: a list can show ${listColumns.join(', ')}, or field:<id> for a field of a Manual-mode team.`,
    );
  });

  it('refuses an empty list of columns, repeated columns, and too many, and names every problem', () => {
    expect(columnProblems([], 'ehr', [])).toBe('A list must keep at least one column.');
    expect(columnProblems(['name', 'mrn', 'name'], 'ehr', [])).toBe('The column “name” is given more than once.');
    expect(
      columnProblems(
        Array.from({ length: 60 }, (_, i) => `c${i}`),
        'ehr',
        [],
      ),
    ).toContain('at most 50 columns');
    const two = columnProblems(['x', 'field:y'], 'ehr', []);
    expect(two).toContain('“x”');
    expect(two).toContain('“field:y”');
  });

  it('quotes a column cut short and without control characters', () => {
    const problem = columnProblems([`bad\u0000\n${'x'.repeat(100)}`], 'ehr', [])!;
    expect(problem).toContain(`“bad??${'x'.repeat(55)}…”`);
    expect(problem).not.toMatch(/\p{Cc}/u);
  });
});

describe('checkColumns', () => {
  it('answers the columns when they fit, and a 400 validation_failed when not', () => {
    expect(checkColumns(['name', 'field:acuity'], 'manual', fields)).toEqual(['name', 'field:acuity']);
    let thrown: unknown;
    try {
      checkColumns(['name', 'field:anything'], 'manual', fields);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect(thrown).toMatchObject({ status: 400, code: 'validation_failed', message: expect.stringContaining('“field:anything”') });
  });
});
