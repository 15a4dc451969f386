import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { Component, type ReactNode } from 'react';
import { t } from '../i18n/t';

interface Props {
  children: ReactNode;
  /** Called by Try again before the children render anew (e.g. to read their data again). */
  onReset?: () => void;
  /** `panel`: one part of the tab (a list, a panel), the rest keeps working; `tab` (default): the whole tab. */
  scope?: 'tab' | 'panel';
  /** A title saying what failed; "Something went wrong" by default. */
  title?: string;
  /**
   * When this changes (say, the data's version), a failed part renders anew by itself. Children
   * that did not fail keep their state (a list's sort and filter), unlike a changed React key.
   */
  resetKey?: unknown;
}

interface State {
  failed: boolean;
}

/**
 * Catches a rendering failure so the tab shows a plain message with a way back instead of a
 * blank frame. Around a panel, only that panel shows it. What reaches the console is decided in
 * main.tsx (no error messages: they may carry patient data).
 */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidUpdate(previous: Props) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  private reset = () => {
    this.props.onReset?.();
    this.setState({ failed: false });
  };

  render() {
    if (!this.state.failed) return this.props.children;
    const panel = this.props.scope === 'panel';
    const notice = (
      <MessageBar intent="error" role="alert" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{this.props.title ?? t('app.error')}</MessageBarTitle>
          {panel ? t('app.panelCrashed') : t('app.crashed')}
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={this.reset}>{t('app.retry')}</Button>
        </MessageBarActions>
      </MessageBar>
    );
    return panel ? notice : <main style={{ padding: '24px' }}>{notice}</main>;
  }
}
