import { useEffect, useRef, useState } from 'react';
import { notebooksItem, syncSettingsItem, fromHex, type Identity, type NotebookEntry } from '../lib/ext/storage';
import { createInvite, encodeInvite, inviteLink, type Invite } from '../lib/sync/keys/invite';
import type * as Y from 'yjs';
import { listPeople, rotateSecret } from '../lib/ext/rotation';
import { markShared } from '../lib/ext/notebooks';
import { readMemberEntries, readRotationRecords, subscribe } from '../lib/notebook';
import type { Candidate } from '../lib/sync/keys/rotation';
import { BackAndHeading } from './BackAndHeading';
import { T } from './test-ids';
import { fill, useT } from './i18n';

/** The people in this notebook with their key words, kept up to date as entries arrive. */
function usePeople(doc: Y.Doc, notebookId: string, secret: string | undefined): Candidate[] | null {
  const [people, setPeople] = useState<Candidate[] | null>(null);
  useEffect(() => {
    let stopped = false;
    let last = '';
    let seen = '';
    const load = () => {
      // Verifying signatures costs a little: only when entries or records changed, not on every keystroke.
      const mark = JSON.stringify([readMemberEntries(doc), readRotationRecords(doc).map((r) => r.key)]);
      if (mark === seen) return;
      seen = mark;
      void listPeople(doc, notebookId).then(
        (p) => {
          const key = JSON.stringify(p.map((x) => [x.keyId, x.name, x.current]));
          if (!stopped && key !== last) {
            last = key;
            setPeople(p);
          }
        },
        () => !stopped && setPeople([]),
      );
    };
    load();
    const off = subscribe(doc, load);
    return () => {
      stopped = true;
      off();
    };
  }, [doc, notebookId, secret]);
  return people;
}

/** "Invite partners": a code and a link that carry the notebook's room and secret. */
export function InvitePage(props: { entry: NotebookEntry; title: string; doc: Y.Doc; me: Identity; onClose(): void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState('');
  const [invite, setInvite] = useState<Invite | null>(null);
  const [copied, setCopied] = useState('');
  const people = usePeople(props.doc, props.entry.id, props.entry.secret);
  useEffect(() => {
    void (async () => {
      const entry = (await notebooksItem.getValue()).find((e) => e.id === props.entry.id) ?? props.entry;
      const settings = await syncSettingsItem.getValue();
      if (!entry.secret) return;
      const base = createInvite({
        notebookId: entry.id,
        title: props.title.slice(0, 80),
        signaling: entry.signaling?.length ? entry.signaling : settings.signaling,
      });
      setInvite({ ...base, secret: fromHex(entry.secret) });
      // Seeing the code is the moment partners may come: from now on connection problems matter.
      await markShared(entry.id);
    })();
  }, [props.entry, props.title, props.entry.secret]);
  const copy = async (text: string, done: 'invitePage.theCodeWas' | 'invitePage.theLinkWas') => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t(done));
    } catch {
      setCopied(t('invitePage.copyingIsNotAllowed'));
    }
  };
  if (!invite) {
    return (
      <section className="page">
        <p role="status">{t('invitePage.preparingTheInvite')}</p>
      </section>
    );
  }
  const code = encodeInvite(invite);
  const link = inviteLink(invite);
  return (
    <section className="page" aria-labelledby="invite-heading">
      <BackAndHeading backLabel={t('invitePage.back')} onBack={props.onClose} headingId="invite-heading" heading={t('invitePage.inviteYourPartners')} />
      <p>{fill(t('invitePage.sendThisCodeOr'), { join: <strong>{t('invitePage.joinANotebook')}</strong> })}</p>
      <label htmlFor="invite-code">{t('invitePage.inviteCode')}</label>
      <textarea id="invite-code" readOnly rows={3} value={code} data-testid={T.inviteCode} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void copy(code, 'invitePage.theCodeWas')}>
        {t('invitePage.copyTheCode')}
      </button>
      <label htmlFor="invite-link">{t('invitePage.inviteLink')}</label>
      <textarea id="invite-link" readOnly rows={3} value={link} data-testid={T.inviteLink} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void copy(link, 'invitePage.theLinkWas')}>
        {t('invitePage.copyTheLink')}
      </button>
      <p role="status" className="small">
        {copied}
      </p>
      <p className="muted small">{t('invitePage.anyoneWithThisCode')}</p>
      <h2>{t('invitePage.peopleInThisNotebook')}</h2>
      <p className="small">{t('invitePage.eachPersonSComputer')}</p>
      {people === null ? (
        <p role="status">{t('invitePage.readingThePeopleIn')}</p>
      ) : (
        <ul className="plain" data-testid={T.memberList}>
          {people.map((p) => (
            <li key={p.keyId} data-testid={T.member}>
              <strong>{p.name || t('invitePage.noName')}</strong>
              {p.me && t('invitePage.you')}
              {!p.current && <span className="small muted"> {t('invitePage.joinedWithTheCurrent')}</span>}
              <br />
              <span className="small">
                {t('invitePage.keyWords')} <span data-testid={p.me ? T.myFingerprint : T.fingerprint}>{p.words}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('invitePage.sentItToThe')}</h2>
      <p className="small">{t('invitePage.makeANewInvite')}</p>
      <button type="button" onClick={() => setConfirming(true)} data-testid={T.rotateInvite} disabled={!people}>
        {t('invitePage.makeANewInvite2')}
      </button>
      <p role="status" className="small" data-testid={T.rotateStatus}>
        {rotated}
      </p>
      {confirming && people && (
        <RotateDialog
          people={people}
          onCancel={() => setConfirming(false)}
          onConfirm={async (keep) => {
            setConfirming(false);
            setRotated(t('invitePage.makingTheNewInvite'));
            try {
              await rotateSecret(props.doc, props.entry.id, props.me.id, { keep, name: props.me.name });
              setRotated(t('invitePage.doneTheCodeAbove'));
            } catch (e) {
              setRotated(t('invitePage.theNewInviteCould', { message: (e as Error).message }));
            }
          }}
        />
      )}
    </section>
  );
}

/** "Make a new invite?": who stays, chosen explicitly (everyone ticked at first; you always stay). */
function RotateDialog(props: { people: Candidate[]; onConfirm(keep: string[]): void; onCancel(): void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [keep, setKeep] = useState(() => new Set(props.people.map((p) => p.keyId)));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const toggle = (id: string, on: boolean) =>
    setKeep((k) => {
      const next = new Set(k);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const others = props.people.filter((p) => !p.me);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="rotate-title"
      data-testid={T.confirmDialog}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="rotate-title">{t('invitePage.makeANewInvite3')}</h2>
      <p>{t('invitePage.theCurrentInviteCode')}</p>
      {others.length === 0 ? (
        <p className="small">{t('invitePage.nobodyElseHasOpened')}</p>
      ) : (
        <fieldset>
          <legend>{t('invitePage.whoStays')}</legend>
          {others.map((p) => (
            <label key={p.keyId} className="row" htmlFor={`keep-${p.keyId}`}>
              <input
                id={`keep-${p.keyId}`}
                type="checkbox"
                checked={keep.has(p.keyId)}
                onChange={(e) => toggle(p.keyId, e.target.checked)}
                data-testid={T.rotateKeep}
              />
              <span>
                {p.name || t('invitePage.noName')} <span className="small">({p.words})</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <p className="small">{t('invitePage.youStayAndYou')}</p>
      <div className="row end">
        <button type="button" onClick={props.onCancel} autoFocus>
          {t('invitePage.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => props.onConfirm(props.people.filter((p) => keep.has(p.keyId)).map((p) => p.keyId))}
          data-testid={T.confirmYes}
        >
          {t('invitePage.makeANewInvite4')}
        </button>
      </div>
    </dialog>
  );
}
