import { Button, Checkbox, Field, Input, Select, Text, Title3, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import type { ManualSchema, SchemaField } from '../../../contract/manual';
import { useSaveSchema } from './api/schema';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px', marginBottom: '20px' },
  row: { display: 'grid', gridTemplateColumns: '1.2fr 0.8fr 1.5fr auto auto', gap: '8px', alignItems: 'end' },
});

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
  const [fields, setFields] = useState<(SchemaField & { choicesText?: string })[]>(
    schema.fields.map((f) => ({ ...f, choicesText: f.choices?.join(', ') })),
  );
  const save = useSaveSchema(schema.version);
  /** The fields as the server takes them: choices from their comma-separated text, for choice fields only. */
  const edited = (): SchemaField[] =>
    fields.map(({ choicesText, ...f }) => ({
      ...f,
      choices:
        f.type === 'choice'
          ? (choicesText ?? '')
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean)
          : undefined,
    }));
  const update = (i: number, change: Partial<SchemaField & { choicesText: string }>) =>
    setFields((fs) => fs.map((f, j) => (j === i ? { ...f, ...change } : f)));
  return (
    <section className={styles.section} aria-labelledby="schema-title">
      <Title3 as="h2" id="schema-title">
        {t('manual.schema')}
      </Title3>
      <Text>{t('manual.schemaHint')}</Text>
      {fields.map((f, i) => (
        <div key={i} className={styles.row}>
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
              {(['text', 'number', 'date', 'choice'] as const).map((type) => (
                <option key={type} value={type}>
                  {t(`manual.type.${type}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('manual.fieldChoices')}>
            <Input value={f.choicesText ?? ''} disabled={f.type !== 'choice'} onChange={(_, d) => update(i, { choicesText: d.value })} />
          </Field>
          <Checkbox
            label={t('manual.fieldRequired')}
            checked={Boolean(f.required)}
            onChange={(_, d) => update(i, { required: Boolean(d.checked) })}
          />
          <Button onClick={() => setFields((fs) => fs.filter((_, j) => j !== i))} aria-label={t('manual.removeField', { label: f.label || '…' })}>
            ×
          </Button>
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
