import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { Component, type ReactNode } from 'react';
import { t } from '../shared/i18n/t';

interface State {
  failed: boolean;
}

/**
 * Catches a rendering failure so the tab shows a plain message with a way back instead of a
 * blank frame. What reaches the console is decided in main.tsx (no error messages: they may
 * carry patient data).
 */
export class ErrorBoundary extends Component<{ children: ReactNode; onReset?: () => void }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  private reset = () => {
    this.props.onReset?.();
    this.setState({ failed: false });
  };

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main style={{ padding: '24px' }}>
        <MessageBar intent="error" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('app.error')}</MessageBarTitle>
            {t('app.crashed')}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={this.reset}>{t('app.retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      </main>
    );
  }
}
