import { Component, type ReactNode } from 'react';
import { T } from './test-ids';
import { t } from '../lib/i18n';

/** Catches a rendering failure so the panel never opens to a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page" role="alert" data-testid={T.appError}>
        <h1>{t('errorBoundary.somethingWentWrongIn')}</h1>
        <p>{t('errorBoundary.yourNotebookIsSaved')}</p>
        <details>
          <summary>{t('errorBoundary.detailsForABug')}</summary>
          <pre>{this.state.error.message}</pre>
        </details>
        <button type="button" className="primary" onClick={() => location.reload()}>
          {t('errorBoundary.reloadThePanel')}
        </button>
      </div>
    );
  }
}
