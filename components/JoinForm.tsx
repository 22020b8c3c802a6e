import { useEffect, useRef, useState } from 'react';
import { currentLocale } from '../lib/i18n';
import { joinNotebook, planJoin, type JoinPlan } from '../lib/ext/notebooks';
import type { Identity } from '../lib/ext/storage';
import { InviteError, inviteErrorText, parseInvite, type Invite } from '../lib/sync/keys/invite';
import { FormActions } from './FormActions';
import { FormError } from './FormError';
import { T } from './test-ids';
import { useT } from './i18n';

type Changes = Extract<JoinPlan, { kind: 'changes' }>;

const when = (at: number) => new Date(at).toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Join a notebook": paste a partner's invite code or link. An invite for a notebook that is
 * already on this computer with other settings is never applied by itself: the form shows what
 * would change, and keeping the current settings is the default.
 */
export function JoinForm(props: { me: Identity; onJoined(id: string): void; onCancel?(): void }) {
  const t = useT();
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
      setError((err as Error).name === 'JoinError' ? (err as Error).message : t('joinForm.theNotebookCouldNot', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  if (pending) {
    const { plan, invite } = pending;
    return (
      <section className="card" aria-labelledby="join-changes-h" data-testid={T.joinChanges}>
        <h2 id="join-changes-h" tabIndex={-1} ref={heading}>
          {t('joinForm.isAlreadyOnThis', { title: plan.title })}
        </h2>
        <p>{t('joinForm.thisInviteIsDifferent')}</p>
        <ul>
          {plan.secret === 'newer' && (
            <li>
              {plan.newer ? t('joinForm.itIsANewer', { name: plan.newer.name, words: plan.newer.words, p2: when(plan.newer.at) }) : t('joinForm.itIsANewer2')}
            </li>
          )}
          {plan.secret === 'older' && <li>{t('joinForm.thisIsAnOlder')}</li>}
          {plan.secret === 'unknown' && <li>{t('joinForm.itHasASecret')}</li>}
          {plan.servers && (
            <li>
              {plan.servers.from.length
                ? t('joinForm.syncServerPInstead', { p0: plan.servers.to.join(', '), p1: plan.servers.from.join(', ') })
                : t('joinForm.syncServerPInstead2', { p0: plan.servers.to.join(', ') })}
            </li>
          )}
        </ul>
        <FormError message={error} testId={T.joinError} />
        <div className="row end wrap">
          {plan.secret !== 'older' && (
            <button type="button" disabled={busy} onClick={() => void join(invite, true)} data-testid={T.joinReplace}>
              {t('joinForm.useTheNewInvite')}
            </button>
          )}
          <button type="button" className="primary" disabled={busy} onClick={() => void join(invite, false)} data-testid={T.joinKeep}>
            {t('joinForm.keepMyCurrentSettings')}
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
          return setError(err instanceof InviteError ? inviteErrorText(err, t) : t('joinForm.thisDoesNotLook'));
        }
        setBusy(true);
        try {
          const plan = await planJoin(invite);
          if (plan.kind === 'changes') setPending({ invite, plan });
          else props.onJoined(await joinNotebook(invite, props.me));
        } catch (err) {
          setError(t('joinForm.theNotebookCouldNot', { message: (err as Error).message }));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('joinForm.joinAPartnerS')}</h2>
      <label htmlFor="join-code">{t('joinForm.inviteCodeOrLink')}</label>
      <textarea
        id="join-code"
        rows={3}
        value={text}
        data-testid={T.joinCode}
        aria-invalid={!!error}
        aria-describedby={error ? 'join-error' : undefined}
        onChange={(e) => (setText(e.target.value), setError(''))}
        placeholder={t('joinForm.pn')}
      />
      <FormError message={error} id="join-error" testId={T.joinError} />
      <FormActions
        cancelLabel={t('joinForm.cancel')}
        onCancel={props.onCancel}
        submitLabel={busy ? t('joinForm.joining') : t('joinForm.joinNotebook')}
        busy={busy}
        submitTestId={T.joinSubmit}
      />
    </form>
  );
}
