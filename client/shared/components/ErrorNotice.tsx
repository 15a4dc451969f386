import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { errorText } from '../error-text';
import { t } from '../i18n/t';

/** An error in plain words, in the active language, under a title that says what failed. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? t('app.error')}</MessageBarTitle>
        {errorText(error)}
      </MessageBarBody>
    </MessageBar>
  );
}
