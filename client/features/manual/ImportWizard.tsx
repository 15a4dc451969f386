import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../../shared/api/api-client';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import type { MessageKey } from '../../shared/i18n/en';
import type { ManualSchema } from '../../../contract/manual';
import { IMPORT_MAX_BYTES, type ImportFileAnswer, type ImportMapping } from '../../../contract/manual-import';
import { useConfirmImport, usePreviewImport, useUploadImportFile } from './api/manual-import';
import { issueProblems } from './form-problems';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  mapping: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: '8px 16px' },
  rows: { maxHeight: '40vh', overflow: 'auto' },
  problems: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
});

/** The fields a column can go to: the built-in ones, then the team's, as the tab labels them. */
function targetsOf(schema: ManualSchema): { key: string; label: string }[] {
  const builtIns: [string, MessageKey][] = [
    ['name', 'column.name'],
    ['mrn', 'column.mrn'],
    ['birthDate', 'search.birthDate'],
    ['gender', 'column.gender'],
    ['room', 'manual.room'],
  ];
  return [...builtIns.map(([key, label]) => ({ key, label: t(label) })), ...schema.fields.map((f) => ({ key: `field:${f.id}`, label: f.label }))];
}

/** The words for a refused file: the tab's own for its kind and size, the server's (which name the row or cell) otherwise. */
function FileProblem({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !['payload_too_large', 'unsupported_media_type', 'validation_failed', 'not_found'].includes(error.code)) {
    return <ErrorNotice error={error} />;
  }
  const words: Partial<Record<string, MessageKey>> = {
    payload_too_large: 'import.tooLarge',
    unsupported_media_type: 'import.wrongType',
    not_found: 'import.expired',
  };
  const key = words[error.code];
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t('import.refused')}</MessageBarTitle>
        {key ? t(key) : error.message}
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * Importing patients from an Excel or CSV file (owners): choose the file, map its columns to
 * fields (the server proposes matching names), see every row's problems, and import the valid
 * rows, or only when every row is valid, in one step.
 */
export function ImportWizard({ schema, onImported }: { schema: ManualSchema; onImported?: () => void }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<ImportFileAnswer | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>([]);
  const [mode, setMode] = useState<'valid' | 'all'>('valid');
  const [tooLarge, setTooLarge] = useState(false);
  const upload = useUploadImportFile();
  const preview = usePreviewImport();
  const confirm = useConfirmImport({ onImported });
  const targets = targetsOf(schema);

  const reset = () => {
    setFile(null);
    setMapping([]);
    setMode('valid');
    setTooLarge(false);
    upload.reset();
    preview.reset();
    confirm.reset();
  };
  const choose = (chosen: File | undefined) => {
    reset();
    if (!chosen) return;
    // Refused here before sending: the server would refuse it too, but only after the upload.
    if (chosen.size > IMPORT_MAX_BYTES) return setTooLarge(true);
    upload.mutate(chosen, {
      onSuccess: (answer) => {
        setFile(answer);
        setMapping(answer.mapping);
      },
    });
  };
  const columnOf = (target: string) => mapping.find((m) => m.target === target)?.column ?? '';
  const mapTo = (target: string, column: string) => {
    preview.reset();
    confirm.reset();
    setMapping((m) => [...m.filter((x) => x.target !== target), ...(column ? [{ target, column }] : [])]);
  };
  const rowsWithProblems = preview.data?.rows.filter((r) => r.problems.length) ?? [];
  const done = confirm.data;

  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (!d.open) reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button>{t('import.open')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('import.title')}</DialogTitle>
          <DialogContent className={styles.body}>
            {done ? (
              <MessageBar intent="success" role="status" layout="multiline">
                <MessageBarBody>
                  {t('import.done', { count: done.imported })}
                  {done.skipped.length > 0 && ` ${t('import.doneSkipped', { count: done.skipped.length })}`}
                </MessageBarBody>
              </MessageBar>
            ) : (
              <>
                <Field label={t('import.file')} hint={t('import.fileHint')}>
                  {(props) => (
                    <input
                      {...props}
                      type="file"
                      accept=".xlsx,.csv,text/csv"
                      disabled={upload.isPending}
                      onChange={(e) => choose(e.target.files?.[0])}
                    />
                  )}
                </Field>
                {upload.isPending && <Text role="status">{t('import.reading')}</Text>}
                {tooLarge && <FileProblem error={new ApiError(413, 'payload_too_large', '')} />}
                {upload.isError && <FileProblem error={upload.error} />}
                {file && (
                  <>
                    <Text role="status">{t('import.fileRead', { name: file.fileName, count: file.rowCount })}</Text>
                    <fieldset className={styles.mapping} aria-label={t('import.mapping')}>
                      {targets.map((target) => (
                        <Field key={target.key} label={target.label} required={target.key === 'name'}>
                          <Select value={columnOf(target.key)} onChange={(_, d) => mapTo(target.key, d.value)}>
                            <option value="">{t('import.notImported')}</option>
                            {file.columns.map((c) => (
                              <option key={c} value={c}>
                                {c}
                              </option>
                            ))}
                          </Select>
                        </Field>
                      ))}
                    </fieldset>
                  </>
                )}
                {preview.isError && <FileProblem error={preview.error} />}
                {preview.data && (
                  <>
                    <Text role="status">{t('import.summary', { valid: preview.data.valid, invalid: preview.data.invalid })}</Text>
                    {rowsWithProblems.length > 0 && (
                      <div className={styles.rows}>
                        <Table size="small" aria-label={t('import.problems')}>
                          <TableHeader>
                            <TableRow>
                              <TableHeaderCell>{t('import.row')}</TableHeaderCell>
                              <TableHeaderCell>{t('column.name')}</TableHeaderCell>
                              <TableHeaderCell>{t('import.problems')}</TableHeaderCell>
                            </TableRow>
                          </TableHeader>
                          <TableBody>
                            {rowsWithProblems.slice(0, 200).map((r) => (
                              <TableRow key={r.row}>
                                <TableCell>{r.row}</TableCell>
                                <TableCell>{r.name || t('value.none')}</TableCell>
                                <TableCell className={styles.problems}>
                                  {/* In the user's language from the codes when the server gives them, else its words. */}
                                  {(r.issues?.length ? issueProblems(schema.fields, r.issues, 'import') : r.problems).join(' ')}
                                </TableCell>
                              </TableRow>
                            ))}
                          </TableBody>
                        </Table>
                        {rowsWithProblems.length > 200 && <Text>{t('import.moreProblems', { count: rowsWithProblems.length - 200 })}</Text>}
                      </div>
                    )}
                    <RadioGroup value={mode} onChange={(_, d) => setMode(d.value === 'all' ? 'all' : 'valid')} aria-label={t('import.mode')}>
                      <Radio value="valid" label={t('import.modeValid')} />
                      <Radio value="all" label={t('import.modeAll')} />
                    </RadioGroup>
                  </>
                )}
                {confirm.isError && <FileProblem error={confirm.error} />}
              </>
            )}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>{done ? t('import.close') : t('lists.cancel')}</Button>
            </DialogTrigger>
            {!done && file && (
              <Button disabled={preview.isPending} onClick={() => preview.mutate({ token: file.token, mapping })}>
                {t('import.preview')}
              </Button>
            )}
            {!done && file && preview.data && (
              <Button
                appearance="primary"
                disabled={confirm.isPending || preview.data.valid === 0}
                onClick={() => confirm.mutate({ token: file.token, mapping, mode })}
              >
                {t('import.confirm', { count: preview.data.valid })}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
