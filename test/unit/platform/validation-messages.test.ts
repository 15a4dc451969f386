import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { apiRoutes, type ApiRoute } from '../../../contract/routes';
import { connectionBody } from '../../../contract/connection';
import { toProblem } from '../../../server/platform/error-handler';

/**
 * Every route's bad bodies and query strings, through the error handler's rule: each message is
 * sentences a user reads, naming fields as the tab does, never a path such as `url:` or `values.x`.
 */

type Input = Record<string, unknown>;

/** The object shapes a schema accepts (a union's every option; pipes and wrappers looked through). */
function shapesOf(schema: z.ZodType): Record<string, z.ZodType>[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (def.type === 'object') return [def.shape as Record<string, z.ZodType>];
  if (def.type === 'union') return (def.options as z.ZodType[]).flatMap(shapesOf);
  if (def.type === 'pipe') return shapesOf(def.in as z.ZodType);
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return shapesOf(def.innerType as z.ZodType);
  return [];
}

const badValues: unknown[] = [
  12345,
  '',
  '   ',
  'x'.repeat(5000),
  null,
  [],
  {},
  true,
  -1,
  'not-valid',
  '\u0001',
  ['../x'],
  [{ id: 5, label: '', type: 'x' }],
  { x: {} },
];
const badQueryValues = ['', 'x'.repeat(5000), '\u0001', 'abc', '0', '1951-02-30'];

/** Inputs that fail: each field with each bad value, alone and beside a field the app does not know. */
function badInputs(schema: z.ZodType, values: unknown[]): Input[] {
  const inputs: Input[] = [{}, { unknownField: 1 }];
  for (const shape of shapesOf(schema)) {
    const discriminator = Object.entries(shape).find(([, s]) => (s as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'literal');
    const fixed: Input = discriminator ? { [discriminator[0]]: (discriminator[1] as z.ZodLiteral).value } : {};
    for (const key of Object.keys(shape)) {
      for (const value of values) inputs.push({ ...fixed, [key]: value }, { ...fixed, [key]: value, unknownField: 1 });
    }
  }
  return inputs;
}

const rawPath = /(?:^|[\s(])[A-Za-z_][\w.]*:(?:\s|$)|\b(?:body|query|params|values|fields|columns|patientIds)\.\w/;

const [routeKey, fieldPaths] = [(route: string) => route.split(' '), (s: z.ZodType) => shapesOf(s).flatMap((shape) => Object.keys(shape))];

const cases = (Object.entries(apiRoutes) as [ApiRoute, { body?: z.ZodType; query?: z.ZodType | z.ZodType[] }][]).flatMap(([route, c]) => [
  ...(c.body ? [{ route, schema: c.body, values: badValues }] : []),
  ...[c.query ?? []].flat().map((schema) => ({ route, schema, values: badQueryValues as unknown[] })),
]);

describe('validation messages of every route', () => {
  it('covers every route that takes a body or a query', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [c.route, c] as const))('%s: plain sentences without field paths', (route, { schema, values }) => {
    const [method, template] = routeKey(route);
    const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001');
    let checked = 0;
    for (const input of badInputs(schema, values)) {
      const parsed = schema.safeParse(input);
      if (parsed.success) continue;
      checked++;
      const problem = toProblem(parsed.error, { method, path });
      expect(problem.code).toBe('validation_failed');
      const message = problem.message;
      expect(message, JSON.stringify(input)).not.toMatch(rawPath);
      expect(message, JSON.stringify(input)).toMatch(/^[\p{Lu}“]/u);
      expect(message, JSON.stringify(input)).toMatch(/\.$/);
      // A field whose name is code (camelCase) is never named that way in words.
      for (const key of fieldPaths(schema).filter((k) => /[A-Z]/.test(k))) {
        expect(message.replace(/“[^”]*”/g, ''), JSON.stringify(input)).not.toContain(key);
      }
      // Programs still get the paths.
      for (const issue of parsed.error.issues.filter((i) => i.path.length > 0)) expect(problem.fields).toContain(issue.path.join('.'));
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('what a user reads', () => {
  const message = (schema: z.ZodType, input: unknown, method: string, path: string) => {
    const parsed = schema.safeParse(input);
    if (parsed.success) throw new Error('expected a failure');
    return toProblem(parsed.error, { method, path }).message;
  };
  const team = '/api/teams/00000000-0000-4000-8000-000000000001';

  it('names the EHR link and says what it must be', () => {
    expect(message(connectionBody, { mode: 'ehr', url: 'fhir.example', name: 'Main EHR' }, 'PUT', `${team}/connection`)).toBe(
      'The EHR link must be a web address (https://…).',
    );
    expect(message(connectionBody, { mode: 'ehr', url: '', name: '' }, 'PUT', `${team}/connection`)).toBe(
      'The EHR link must not be empty. The connection name must not be empty.',
    );
  });

  it('names a field by the route it is on, and items of a list by their number', () => {
    const { body: listBody } = apiRoutes['POST /api/teams/{teamId}/lists'];
    expect(message(listBody, { name: '' }, 'POST', `${team}/lists`)).toBe('The list name must not be empty.');
    const { body: schema } = apiRoutes['PUT /api/teams/{teamId}/schema'];
    expect(
      message(
        schema,
        {
          fields: [
            { id: 'ward', label: 'Ward', type: 'text' },
            { id: 'bed', label: '', type: 'text' },
          ],
        },
        'PUT',
        `${team}/schema`,
      ),
    ).toBe('The label of field 2 must not be empty.');
    const { body: patient } = apiRoutes['POST /api/teams/{teamId}/manual-patients'];
    expect(message(patient, { name: 'A', values: { acuity: {} } }, 'POST', `${team}/manual-patients`)).toBe(
      'The team field “acuity” must be text, a number, yes or no (true or false), or a team member.',
    );
    expect(message(patient, { name: 'A', nickname: 'x' }, 'POST', `${team}/manual-patients`)).toBe('The app does not know the field “nickname”.');
  });
});

describe('a path holding the names of Object.prototype members', () => {
  // Keys a caller writes (a team field's id, a choice's colour) end up in an issue's path: they are
  // named as fields, never looked up among the object's inherited members (which made the message,
  // and with it the answer and its audit record, fail).
  const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
  const shapes = (name: string): (string | number)[][] => [
    [name],
    [name, 0],
    [name, 0, name],
    ['fields', 0, name],
    ['fields', 0, 'colours', name],
    ['values', name],
    ['columns', name, 2],
  ];

  it.each(names)('“%s” anywhere in a path, on every route, gives a plain sentence', (name) => {
    for (const route of Object.keys(apiRoutes) as ApiRoute[]) {
      const [method, template] = routeKey(route);
      const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001');
      for (const issuePath of shapes(name)) {
        for (const issue of [
          { code: 'custom' as const, path: issuePath, message: 'Invalid input', input: undefined },
          { code: 'invalid_type' as const, path: issuePath, expected: name as 'string', message: 'Invalid input', input: undefined },
        ]) {
          const problem = toProblem(new z.ZodError([issue]), { method, path });
          expect(problem.code).toBe('validation_failed');
          expect(problem.message, `${route} ${issuePath.join('.')}`).toMatch(/^[\p{Lu}“].*\.$/u);
          expect(problem.message).not.toMatch(/function|\[object/);
        }
      }
    }
  });

  it('names a choice colour keyed “toString” as the field it is', () => {
    const { body: schema } = apiRoutes['PUT /api/teams/{teamId}/schema'];
    const parsed = schema.safeParse({
      fields: [{ id: 'ch', label: 'C', type: 'choice', choices: ['a'], colours: JSON.parse('{"toString":"red"}') }],
    });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const problem = toProblem(parsed.error, { method: 'PUT', path: '/api/teams/00000000-0000-4000-8000-000000000001/schema' });
    expect(problem.message).toContain('“toString”');
  });
});
