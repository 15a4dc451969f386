import { createRoot, type ErrorInfo } from 'react-dom/client';
import { App } from './app/App';
import { normalizeRoute } from './app/route';
import { setLocale } from './shared/i18n/t';

/** Rendering failures reach the console as the error's kind and the component stack only: messages may carry patient data. */
function logRenderError(error: unknown, info: ErrorInfo) {
  console.error(`The tab failed to render (${error instanceof Error ? error.name : typeof error})`, info.componentStack ?? '');
}

// Outside Teams: `?lang=` or the browser's language (inside Teams the host's locale wins).
setLocale(new URLSearchParams(location.search).get('lang') ?? navigator.language);
normalizeRoute();
createRoot(document.getElementById('root')!, { onCaughtError: logRenderError, onUncaughtError: logRenderError }).render(<App />);
