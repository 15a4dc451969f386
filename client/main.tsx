import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { languageFor, setLanguage } from './shared/i18n/t';

// Outside Teams: `?lang=` or the browser's language (inside Teams the host's locale wins).
setLanguage(languageFor(new URLSearchParams(location.search).get('lang') ?? navigator.language));
createRoot(document.getElementById('root')!).render(<App />);
