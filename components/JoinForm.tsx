import { useEffect, useRef, useState } from 'react';
import { joinNotebook, planJoin, type JoinPlan } from '../lib/ext/notebooks';
import type { Identity } from '../lib/ext/storage';
import { InviteError, parseInvite, type Invite } from '../lib/sync/invite';
import { T } from './test-ids';

type Changes = Extract<JoinPlan, { kind: 'changes' }>;

const when = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Join a notebook": paste a partner's invite code or link. An invite for a notebook that is
 * already on this computer with other settings is never applied by itself: the form shows what
 * would change, and keeping the current settings is the default.
 */
export function JoinForm(props: { me: Identity; onJoined(id: string): void; onCancel?(): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<{ invite: Invite; plan: Changes } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Screen readers and keyboard users land on the question, not on a form that is gone.
  useEffect(() => heading.current?.focus(), [pending]);

  const join = async (invite: Invite, replace: boolean) => {
    setBusy(true);
    setError('');
    try {
      props.onJoined(await joinNotebook(invite, props.me, { replace }));
    } catch (err) {
      setError((err as Error).name === 'JoinError' ? (err as Error).message : `The notebook could not be added: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  if (pending) {
    const { plan, invite } = pending;
    return (
      <section className="card" aria-labelledby="join-changes-h" data-testid={T.joinChanges}>
        <h2 id="join-changes-h" tabIndex={-1} ref={heading}>
          “{plan.title}” is already on this computer
        </h2>
        <p>This invite is different from the one this notebook uses now. Nothing has changed yet.</p>
        <ul>
          {plan.secret === 'newer' && (
            <li>
              {plan.newer
                ? `It is a newer invite, made by ${plan.newer.name} (key words: ${plan.newer.words}) on ${when(plan.newer.at)}. Using it takes you to where your partners are now.`
                : 'It is a newer invite than the one you have. Using it takes you to where your partners are now.'}
            </li>
          )}
          {plan.secret === 'older' && <li>This is an older invite: your partners already replaced it with a newer one. It cannot be used, so that nobody can take this notebook back to an old invite.</li>}
          {plan.secret === 'unknown' && (
            <li>It has a secret this notebook has never used. Use it only if a partner you trust sent it to you just now: a former partner could send an invite like this to move your notebook to them.</li>
          )}
          {plan.servers && (
            <li>
              {plan.servers.from.length
                ? `Sync server: ${plan.servers.to.join(', ')} instead of ${plan.servers.from.join(', ')}.`
                : `Sync server: ${plan.servers.to.join(', ')} instead of the one in your Settings.`}
            </li>
          )}
        </ul>
        {error && (
          <p className="error" role="alert" data-testid={T.joinError}>
            {error}
          </p>
        )}
        <div className="row end wrap">
          {plan.secret !== 'older' && (
            <button type="button" disabled={busy} onClick={() => void join(invite, true)} data-testid={T.joinReplace}>
              Use the new invite
            </button>
          )}
          <button type="button" className="primary" disabled={busy} onClick={() => void join(invite, false)} data-testid={T.joinKeep}>
            Keep my current settings
          </button>
        </div>
      </section>
    );
  }

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
          const plan = await planJoin(invite);
          if (plan.kind === 'changes') setPending({ invite, plan });
          else props.onJoined(await joinNotebook(invite, props.me));
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
