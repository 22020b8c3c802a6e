import { Component, type ReactNode } from 'react';
import { T } from './test-ids';

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
        <h1>Something went wrong in this panel</h1>
        <p>Your notebook is saved on this computer. Reload the panel to continue.</p>
        <details>
          <summary>Details for a bug report</summary>
          <pre>{this.state.error.message}</pre>
        </details>
        <button type="button" className="primary" onClick={() => location.reload()}>
          Reload the panel
        </button>
      </div>
    );
  }
}
