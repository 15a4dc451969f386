import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/api-client';
import { t } from '../i18n/t';

/** An error in plain words, as the API stated it, under a title that says what failed. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? t('app.error')}</MessageBarTitle>
        {message}
      </MessageBarBody>
    </MessageBar>
  );
}
