import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Title2,
  makeStyles,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { Connection, ConnectionBody } from '../../../contract/connection';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { useSaveConnection } from './api/connection';
import { refusedUnconfirmed, sourceChangeWords, useSourceChangeCheck, type SourceChange } from './api/source-change';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '16px', maxWidth: '640px' },
  links: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
});

/** First run and later settings: EHR mode (link checked for real) or Manual mode. Owners only. */
export function SetupPanel({ current, onSaved, onDone }: { current: Connection; onSaved?: () => void; onDone?: () => void }) {
  const styles = useStyles();
  const { sandboxLinks } = useSession();
  const [mode, setMode] = useState<'ehr' | 'manual'>(current.mode === 'manual' ? 'manual' : 'ehr');
  const [url, setUrl] = useState(current.mode === 'ehr' ? current.url : '');
  const [name, setName] = useState(current.mode === 'ehr' ? current.name : '');
  const save = useSaveConnection({ onSaved });
  const saved = save.data;
  // What the tab is connected to: the link just checked, else the one stored before (settings reopened).
  const shown = saved ?? (current.mode === 'unset' ? undefined : current);
  // A change of where the patients come from, while lists hold patients, waits for the owner's confirmation.
  const check = useSourceChangeCheck(saved ?? current);
  const [pending, setPending] = useState<SourceChange | null>(null);
  // Refused as an unconfirmed change of source after all (see refusedUnconfirmed): asked again, with why.
  const send = (body: ConnectionBody) =>
    save.mutate(body, { onError: (error) => refusedUnconfirmed(error, body) && setPending({ body, impact: null }) });
  const submit = (body: ConnectionBody) => check.mutate(body, { onSuccess: (change) => (change.impact ? setPending(change) : send(body)) });
  const asked = refusedUnconfirmed(save.error, save.variables);
  const busy = save.isPending || check.isPending;

  return (
    <section className={styles.panel} aria-labelledby="setup-title">
      <Title2 as="h2" id="setup-title" style={{ margin: 0 }}>
        {t('setup.title')}
      </Title2>
      <Text>{t('setup.intro')}</Text>
      <RadioGroup value={mode} onChange={(_, d) => setMode(d.value as 'ehr' | 'manual')} aria-label={t('setup.title')}>
        <Radio value="ehr" label={t('setup.option', { mode: t('setup.ehrMode'), hint: t('setup.ehrModeHint') })} />
        <Radio value="manual" label={t('setup.option', { mode: t('setup.manualMode'), hint: t('setup.manualModeHint') })} />
      </RadioGroup>
      {mode === 'ehr' ? (
        <form
          noValidate
          className={styles.panel}
          onSubmit={(e) => {
            e.preventDefault();
            submit({ mode: 'ehr', url: url.trim(), name: name.trim() });
          }}
        >
          <Field label={t('setup.link')} hint={t('setup.linkHint')} required>
            <Input value={url} onChange={(_, d) => setUrl(d.value)} type="url" />
          </Field>
          {sandboxLinks && (
            <div className={styles.links} role="group" aria-label={t('setup.sandbox')}>
              <Text weight="semibold">{t('setup.sandboxLabel', { links: t('setup.sandbox') })}</Text>
              {(['r4', 'stu3', 'dstu2'] as const).map((v) => (
                <Button
                  key={v}
                  size="small"
                  onClick={() => {
                    setUrl(sandboxLinks[v]);
                    if (!name) setName(t('setup.sandboxLink', { version: v.toUpperCase() }));
                  }}
                >
                  {t('setup.sandboxLink', { version: v.toUpperCase() })}
                </Button>
              ))}
            </div>
          )}
          <Field label={t('setup.name')} required>
            <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} />
          </Field>
          <div className={styles.links}>
            <Button appearance="primary" type="submit" disabled={!url.trim() || !name.trim() || busy}>
              {t('setup.connect')}
            </Button>
            {busy && <Spinner size="tiny" label={t('setup.connecting')} />}
          </div>
        </form>
      ) : (
        <div>
          <Button appearance="primary" onClick={() => submit({ mode: 'manual' })} disabled={busy}>
            {t('setup.useManual')}
          </Button>
        </div>
      )}
      {check.isError && <ErrorNotice title={t('setup.failed')} error={check.error} />}
      {save.isError && !asked && <ErrorNotice title={t('setup.failed')} error={save.error} />}
      <Dialog open={pending !== null} onOpenChange={(_, d) => !d.open && setPending(null)} modalType="alert">
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('setup.changeTitle')}</DialogTitle>
            <DialogContent>
              {pending && (
                <Text as="p" block>
                  {t(sourceChangeWords(pending, saved ?? current), pending.impact ?? {})}
                </Text>
              )}
              <Text as="p" block>
                {t('setup.changeKeep')}
              </Text>
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                onClick={() => {
                  if (pending) save.mutate({ ...pending.body, confirm: true });
                  setPending(null);
                }}
              >
                {t('setup.changeConfirm')}
              </Button>
              <Button onClick={() => setPending(null)}>{t('setup.changeCancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      {shown?.mode === 'ehr' && (!save.isError || asked) && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('setup.connected', { name: shown.name })}</MessageBarTitle>
            {t('setup.found', {
              version: shown.fhirVersion,
              auth: shown.auth === 'none' ? t('setup.authNone') : t('setup.authClientCredentials'),
              count: shown.resources.length,
              resources: shown.resources.join(', '),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      {shown?.mode === 'manual' && (!save.isError || asked) && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{t('setup.manualSaved')}</MessageBarBody>
        </MessageBar>
      )}
      {shown && onDone && (
        <div>
          <Button onClick={onDone}>{t('setup.close')}</Button>
        </div>
      )}
    </section>
  );
}
