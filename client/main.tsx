import { createRoot, type ErrorInfo } from 'react-dom/client';
import { App } from './app/App';
import { normalizeRoute } from './app/route';
import { loadLocale } from './shared/i18n/t';

/** Rendering failures reach the console as the error's kind and the component stack only: messages may carry patient data. */
function logRenderError(error: unknown, info: ErrorInfo) {
  console.error(`The tab failed to render (${error instanceof Error ? error.name : typeof error})`, info.componentStack ?? '');
}

// Outside Teams: `?lang=` or the browser's language (inside Teams the host's locale wins). Its
// catalog is fetched before the first render, so a Russian user never sees English words first.
normalizeRoute();
void loadLocale(new URLSearchParams(location.search).get('lang') ?? navigator.language).then(() =>
  createRoot(document.getElementById('root')!, { onCaughtError: logRenderError, onUncaughtError: logRenderError }).render(<App />),
);
