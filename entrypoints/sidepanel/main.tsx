import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../../components/App';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { followLanguage } from '../../lib/ext/language';
import './style.css';

// Marks for `npm run bench` (and anyone profiling): where the time to an open notebook goes.
performance.mark('pn:script');
const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
// The chosen language (a local storage read, and a small lazy chunk if not English) is applied
// before the first render, so nobody sees English flash first; any failure still renders English.
followLanguage((locale) => document.documentElement.setAttribute('lang', locale)).then(render, (e) => {
  console.error('Language could not be applied', e);
  render();
});
