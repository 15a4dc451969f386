import { Button, Checkbox, Field, Input, Select, Text, Title3, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { choiceColour, choiceColours, fieldTypes, type ChoiceColour, type ManualSchema, type SchemaField } from '../../../contract/manual';
import { useSaveSchema } from './api/schema';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px', marginBottom: '20px' },
  row: { display: 'grid', gridTemplateColumns: '1.2fr 0.8fr 1.5fr auto auto', gap: '8px', alignItems: 'end' },
  extras: { display: 'flex', flexWrap: 'wrap', gap: '8px', paddingLeft: '16px', minWidth: 0 },
  extra: { minWidth: '120px', maxWidth: '200px' },
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
    const bound = (text?: string) => (text === undefined || text.trim() === '' ? undefined : Number(text));
    const [unit, min, max] = [edited.unit?.trim(), bound(edited.minText), bound(edited.maxText)];
    return { ...base, ...(unit ? { unit } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  return base;
}

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
  const [fields, setFields] = useState<Edited[]>(
    schema.fields.map((f) => ({ ...f, choicesText: f.choices?.join(', '), minText: f.min?.toString(), maxText: f.max?.toString() })),
  );
  const save = useSaveSchema(schema.version);
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
  return (
    <section className={styles.section} aria-labelledby="schema-title">
      <Title3 as="h2" id="schema-title">
        {t('manual.schema')}
      </Title3>
      <Text>{t('manual.schemaHint')}</Text>
      {fields.map((f, i) => (
        <div key={i} data-field-row="">
          <div className={styles.row}>
            <Field label={t('manual.fieldLabel')}>
              <Input
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
            <Field label={t('manual.fieldType')}>
              <Select value={f.type} onChange={(_, d) => update(i, { type: d.value as SchemaField['type'] })}>
                {fieldTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`manual.type.${type}`)}
                  </option>
                ))}
              </Select>
            </Field>
            {f.type === 'number' ? (
              <Field label={t('manual.fieldUnit')}>
                <Input value={f.unit ?? ''} onChange={(_, d) => update(i, { unit: d.value })} />
              </Field>
            ) : (
              <Field label={t('manual.fieldChoices')}>
                <Input value={f.choicesText ?? ''} disabled={f.type !== 'choice'} onChange={(_, d) => update(i, { choicesText: d.value })} />
              </Field>
            )}
            <Checkbox
              label={t('manual.fieldRequired')}
              checked={Boolean(f.required)}
              onChange={(_, d) => update(i, { required: Boolean(d.checked) })}
            />
            <Button onClick={() => setFields((fs) => fs.filter((_, j) => j !== i))} aria-label={t('manual.removeField', { label: f.label || '…' })}>
              ×
            </Button>
          </div>
          {f.type === 'number' && (
            <div className={styles.extras}>
              <Field className={styles.extra} label={t('manual.fieldMin')}>
                <Input type="number" value={f.minText ?? ''} onChange={(_, d) => update(i, { minText: d.value })} />
              </Field>
              <Field className={styles.extra} label={t('manual.fieldMax')}>
                <Input type="number" value={f.maxText ?? ''} onChange={(_, d) => update(i, { maxText: d.value })} />
              </Field>
            </div>
          )}
          {f.type === 'choice' && choicesOf(f).length > 0 && (
            <div className={styles.extras}>
              {choicesOf(f).map((choice) => (
                <Field className={styles.extra} key={choice} label={t('manual.choiceColour', { choice })}>
                  <Select value={choiceColour(f, choice) ?? ''} onChange={(_, d) => setColour(i, choice, d.value as ChoiceColour | '')}>
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
        <Button appearance="primary" onClick={() => save.mutate(edited())} disabled={save.isPending}>
          {t('manual.saveSchema')}
        </Button>
      </div>
      {save.isSuccess && <Text role="status">{t('manual.schemaSaved')}</Text>}
      {save.isError && <ErrorNotice error={save.error} />}
    </section>
  );
}
