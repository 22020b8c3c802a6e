import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../../components/App';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import './style.css';

// Marks for `npm run bench` (and anyone profiling): where the time to an open notebook goes.
performance.mark('pn:script');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
