import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Text, Title3, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { currentLanguage, t } from '../../shared/i18n/t';
import { wardTemplate } from '../../../contract/manual-template';
import { choiceColour, choiceColours, fieldTypes, type ChoiceColour, type ManualSchema, type SchemaField } from '../../../contract/manual';
import { useSaveSchema } from './api/schema';
import { schemaProblems } from './schema-problems';
import { numberFromText, numberInputText } from './number-text';

const useStyles = makeStyles({
  start: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'center' },
  section: { display: 'flex', flexDirection: 'column', gap: '8px', marginBottom: '20px', minWidth: 0 },
  // A row wraps rather than overflows its card: the panel is about 500 pixels wide at 1366, and
  // Russian or German words make the "Required" box wide. Inputs shrink below their default size.
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', minWidth: 0 },
  label: { flex: '2 1 160px', minWidth: 0 },
  type: { flex: '1 1 120px', minWidth: 0 },
  wide: { flex: '2 1 160px', minWidth: 0 },
  fill: { width: '100%', minWidth: 0 },
  marks: { display: 'flex', alignItems: 'center', gap: '4px', flex: '0 0 auto', maxWidth: '100%' },
  extras: { display: 'flex', flexWrap: 'wrap', gap: '8px', paddingLeft: '16px', minWidth: 0 },
  extra: { flex: '1 1 120px', minWidth: 0, maxWidth: '200px' },
  rowBox: { minWidth: 0, paddingBottom: '8px' },
});

/** A field as the editor holds it: choices, range and colours as the text of their inputs. */
type Edited = SchemaField & { choicesText?: string; minText?: string; maxText?: string };

const choicesOf = (f: Edited) =>
  (f.choicesText ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

/**
 * The field as the server takes it: only what its type carries. Choices come from their
 * comma-separated text, with the colours of those still listed; a range bound left empty is none.
 */
function toField(edited: Edited): SchemaField {
  const base: SchemaField = { id: edited.id, label: edited.label, type: edited.type, ...(edited.required ? { required: true } : {}) };
  if (edited.type === 'choice') {
    const choices = choicesOf(edited);
    const colours = Object.fromEntries(choices.flatMap((c) => (choiceColour(edited, c) ? [[c, choiceColour(edited, c)!]] : [])));
    return { ...base, choices, ...(Object.keys(colours).length ? { colours } : {}) };
  }
  if (edited.type === 'number') {
    const bound = (text?: string) => (text === undefined || text.trim() === '' ? undefined : numberFromText(text));
    const [unit, min, max] = [edited.unit?.trim(), bound(edited.minText), bound(edited.maxText)];
    return { ...base, ...(unit ? { unit } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  return base;
}

/** A saved field as the editor holds it. */
const editable = (f: SchemaField): Edited => ({
  ...f,
  choicesText: f.choices?.join(', '),
  minText: f.min === undefined ? undefined : numberInputText(f.min),
  maxText: f.max === undefined ? undefined : numberInputText(f.max),
});

/** Whether two lists of fields say the same, whatever the order of each field's properties. */
const sameFields = (a: SchemaField[], b: SchemaField[]) => {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
};

const idFor = (label: string, taken: string[]) => {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+/, '')
      .slice(0, 30) || 'field';
  let id = base;
  for (let i = 2; taken.includes(id) || ['name', 'mrn', 'room', 'gender'].includes(id); i++) id = `${base}_${i}`;
  return id;
};

/** The owner's editor for the team's own patient fields. */
export function SchemaEditor({ schema }: { schema: ManualSchema }) {
  const styles = useStyles();
  const [fields, setFields] = useState<Edited[]>(schema.fields.map(editable));
  const save = useSaveSchema(schema.version);
  // What the editor found wrong at the last save, in the user's words; nothing is sent while there is any.
  const [problems, setProblems] = useState<string[]>([]);
  // The fields as they were when Save found them as the server has them: nothing was sent, and the
  // user is told so until they change something.
  const [unchangedAt, setUnchangedAt] = useState<Edited[] | null>(null);
  const edited = (): SchemaField[] => fields.map(toField);
  const setColour = (i: number, choice: string, colour: ChoiceColour | '') =>
    setFields((fs) =>
      fs.map((f, j) => {
        if (j !== i) return f;
        const colours = Object.fromEntries(Object.entries(f.colours ?? {}).filter(([c]) => c !== choice));
        if (colour) Object.defineProperty(colours, choice, { value: colour, enumerable: true, writable: true, configurable: true });
        return { ...f, colours };
      }),
    );
  const update = (i: number, change: Partial<Edited>) => setFields((fs) => fs.map((f, j) => (j === i ? { ...f, ...change } : f)));
  // A team without fields yet chooses how to start; the template only fills the editor, saved as any edit.
  const [started, setStarted] = useState(schema.fields.length > 0);
  const startFromTemplate = () => {
    setFields(wardTemplate(currentLanguage()).map((f) => ({ ...f, choicesText: f.choices?.join(', ') })));
    setStarted(true);
  };
  return (
    <section className={styles.section} aria-labelledby="schema-title">
      <Title3 as="h2" id="schema-title">
        {t('manual.schema')}
      </Title3>
      <Text>{t('manual.schemaHint')}</Text>
      {!started && fields.length === 0 && (
        <div className={styles.start} role="group" aria-label={t('manual.startTitle')}>
          <Text weight="semibold">{t('manual.startTitle')}</Text>
          <Button appearance="primary" onClick={startFromTemplate}>
            {t('manual.startTemplate')}
          </Button>
          <Button onClick={() => setStarted(true)}>{t('manual.startEmpty')}</Button>
        </div>
      )}
      {fields.map((f, i) => (
        // A group per field: its Type, Choices and Required are named the same in every row, and a screen reader says which field they are in.
        <div
          key={i}
          data-field-row=""
          className={styles.rowBox}
          role="group"
          aria-label={t('manual.fieldGroup', { number: i + 1, label: f.label || '…' })}
        >
          <div className={styles.row}>
            <Field className={styles.label} label={t('manual.fieldLabel')}>
              <Input
                className={styles.fill}
                value={f.label}
                onChange={(_, d) =>
                  update(i, {
                    label: d.value,
                    ...(schema.fields.some((s) => s.id === f.id)
                      ? {}
                      : {
                          id: idFor(
                            d.value,
                            fields.filter((_, j) => j !== i).map((x) => x.id),
                          ),
                        }),
                  })
                }
              />
            </Field>
            <Field className={styles.type} label={t('manual.fieldType')}>
              <Select className={styles.fill} value={f.type} onChange={(_, d) => update(i, { type: d.value as SchemaField['type'] })}>
                {fieldTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`manual.type.${type}`)}
                  </option>
                ))}
              </Select>
            </Field>
            {f.type === 'number' ? (
              <Field className={styles.wide} label={t('manual.fieldUnit')}>
                <Input className={styles.fill} value={f.unit ?? ''} onChange={(_, d) => update(i, { unit: d.value })} />
              </Field>
            ) : (
              <Field className={styles.wide} label={t('manual.fieldChoices')}>
                <Input
                  className={styles.fill}
                  value={f.choicesText ?? ''}
                  disabled={f.type !== 'choice'}
                  onChange={(_, d) => update(i, { choicesText: d.value })}
                />
              </Field>
            )}
            <div className={styles.marks}>
              <Checkbox
                label={t('manual.fieldRequired')}
                checked={Boolean(f.required)}
                onChange={(_, d) => update(i, { required: Boolean(d.checked) })}
              />
              <Button onClick={() => setFields((fs) => fs.filter((_, j) => j !== i))} aria-label={t('manual.removeField', { label: f.label || '…' })}>
                ×
              </Button>
            </div>
          </div>
          {f.type === 'number' && (
            <div className={styles.extras}>
              <Field className={styles.extra} label={t('manual.fieldMin')}>
                <Input className={styles.fill} inputMode="decimal" value={f.minText ?? ''} onChange={(_, d) => update(i, { minText: d.value })} />
              </Field>
              <Field className={styles.extra} label={t('manual.fieldMax')}>
                <Input className={styles.fill} inputMode="decimal" value={f.maxText ?? ''} onChange={(_, d) => update(i, { maxText: d.value })} />
              </Field>
            </div>
          )}
          {f.type === 'choice' && choicesOf(f).length > 0 && (
            <div className={styles.extras}>
              {choicesOf(f).map((choice) => (
                <Field className={styles.extra} key={choice} label={t('manual.choiceColour', { choice })}>
                  <Select
                    className={styles.fill}
                    value={choiceColour(f, choice) ?? ''}
                    onChange={(_, d) => setColour(i, choice, d.value as ChoiceColour | '')}
                  >
                    <option value="">{t('manual.noColour')}</option>
                    {choiceColours.map((c) => (
                      <option key={c} value={c}>
                        {t(`manual.colour.${c}`)}
                      </option>
                    ))}
                  </Select>
                </Field>
              ))}
            </div>
          )}
        </div>
      ))}
      <div>
        <Button
          onClick={() =>
            setFields((fs) => [
              ...fs,
              {
                id: idFor(
                  'field',
                  fs.map((x) => x.id),
                ),
                label: '',
                type: 'text',
              },
            ])
          }
        >
          {t('manual.addField')}
        </Button>{' '}
        <Button
          appearance="primary"
          onClick={() => {
            const next = edited();
            const found = schemaProblems(next);
            setProblems(found);
            save.reset();
            const same = found.length === 0 && sameFields(next, schema.fields.map(editable).map(toField));
            setUnchangedAt(same ? fields : null);
            if (found.length === 0 && !same) save.mutate(next);
          }}
          disabled={save.isPending}
        >
          {t('manual.saveSchema')}
        </Button>
      </div>
      {save.isSuccess && <Text role="status">{t('manual.schemaSaved')}</Text>}
      {unchangedAt === fields && <Text role="status">{t('manual.schemaUnchanged')}</Text>}
      {problems.length > 0 && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            {problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {save.isError && <ErrorNotice error={save.error} />}
    </section>
  );
}
