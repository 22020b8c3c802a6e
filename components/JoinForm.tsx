import { useState } from 'react';
import { joinNotebook } from '../lib/ext/notebooks';
import type { Identity } from '../lib/ext/storage';
import { InviteError, parseInvite } from '../lib/sync/invite';
import { T } from './test-ids';

/** "Join a notebook": paste a partner's invite code or link. */
export function JoinForm(props: { me: Identity; onJoined(id: string): void; onCancel?(): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="card"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setError('');
        let invite;
        try {
          invite = parseInvite(text);
        } catch (err) {
          return setError(err instanceof InviteError ? err.message : 'This does not look like an invite. Ask your partner to send it again.');
        }
        setBusy(true);
        try {
          props.onJoined(await joinNotebook(invite, props.me));
        } catch (err) {
          setError(`The notebook could not be added: ${(err as Error).message}`);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>Join a partner’s notebook</h2>
      <label htmlFor="join-code">Invite code or link from your partner</label>
      <textarea
        id="join-code"
        rows={3}
        value={text}
        data-testid={T.joinCode}
        aria-invalid={!!error}
        aria-describedby={error ? 'join-error' : undefined}
        onChange={(e) => (setText(e.target.value), setError(''))}
        placeholder="PN1-…"
      />
      {error && (
        <p id="join-error" className="error" role="alert" data-testid={T.joinError}>
          {error}
        </p>
      )}
      <div className="row end">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid={T.joinSubmit}>
          {busy ? 'Joining…' : 'Join notebook'}
        </button>
      </div>
    </form>
  );
}
