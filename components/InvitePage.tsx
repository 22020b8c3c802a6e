import { useEffect, useRef, useState } from 'react';
import { notebooksItem, syncSettingsItem, fromHex, type Identity, type NotebookEntry } from '../lib/ext/storage';
import { createInvite, encodeInvite, inviteLink, type Invite } from '../lib/sync/invite';
import type * as Y from 'yjs';
import { listPeople, rotateSecret } from '../lib/ext/rotation';
import { markShared } from '../lib/ext/notebooks';
import { readMemberEntries, readRotationRecords, subscribe } from '../lib/notebook';
import type { Candidate } from '../lib/sync/rotation';
import { T } from './test-ids';

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
      const base = createInvite({ notebookId: entry.id, title: props.title.slice(0, 80), signaling: entry.signaling?.length ? entry.signaling : settings.signaling });
      setInvite({ ...base, secret: fromHex(entry.secret) });
      // Seeing the code is the moment partners may come: from now on connection problems matter.
      await markShared(entry.id);
    })();
  }, [props.entry, props.title, props.entry.secret]);
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied. Paste it into an email or chat to your partners.`);
    } catch {
      setCopied('Copying is not allowed here: select the text and copy it with Ctrl+C.');
    }
  };
  if (!invite) {
    return (
      <section className="page">
        <p role="status">Preparing the invite…</p>
      </section>
    );
  }
  const code = encodeInvite(invite);
  const link = inviteLink(invite);
  return (
    <section className="page" aria-labelledby="invite-heading">
      <button type="button" className="link-button" onClick={props.onClose}>
        ← Back
      </button>
      <h1 id="invite-heading" tabIndex={-1}>
        Invite your partners
      </h1>
      <p>Send this code (or the link) to your partners by email or chat. In Partner Notebook they choose <strong>Join a notebook</strong> and paste it.</p>
      <label htmlFor="invite-code">Invite code</label>
      <textarea id="invite-code" readOnly rows={3} value={code} data-testid={T.inviteCode} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void copy(code, 'The code was')}>
        Copy the code
      </button>
      <label htmlFor="invite-link">Invite link</label>
      <textarea id="invite-link" readOnly rows={3} value={link} data-testid={T.inviteLink} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void copy(link, 'The link was')}>
        Copy the link
      </button>
      <p role="status" className="small">
        {copied}
      </p>
      <p className="muted small">
        Anyone with this code can read and change this notebook, so send it only to your partners. The sync server never sees the code: it only relays
        encrypted messages.
      </p>
      <h2>People in this notebook</h2>
      <p className="small">Each person’s computer has its own key, shown as five words. On a call, read your words to your partners and check theirs: if the words differ, someone else is using that name.</p>
      {people === null ? (
        <p role="status">Reading the people in this notebook…</p>
      ) : (
        <ul className="plain" data-testid={T.memberList}>
          {people.map((p) => (
            <li key={p.keyId} data-testid={T.member}>
              <strong>{p.name || 'No name'}</strong>
              {p.me && ' (you)'}
              {!p.current && <span className="small muted"> · joined with the current invite</span>}
              <br />
              <span className="small">
                Key words: <span data-testid={p.me ? T.myFingerprint : T.fingerprint}>{p.words}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>Sent it to the wrong person?</h2>
      <p className="small">
        Make a new invite and untick the people who should not be in this notebook. Everyone you keep moves over by themselves and loses nothing. The others, and the old code, can no longer follow the notebook.
      </p>
      <button type="button" onClick={() => setConfirming(true)} data-testid={T.rotateInvite} disabled={!people}>
        Make a new invite…
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
            setRotated('Making the new invite…');
            try {
              await rotateSecret(props.doc, props.entry.id, props.me.id, { keep, name: props.me.name });
              setRotated('Done. The code above is the new invite; the old one no longer admits anyone new. The people you kept move over in a few seconds.');
            } catch (e) {
              setRotated(`The new invite could not be made. ${(e as Error).message}`);
            }
          }}
        />
      )}
    </section>
  );
}

/** "Make a new invite?": who stays, chosen explicitly (everyone ticked at first; you always stay). */
function RotateDialog(props: { people: Candidate[]; onConfirm(keep: string[]): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [keep, setKeep] = useState(() => new Set(props.people.map((p) => p.keyId)));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const toggle = (id: string, on: boolean) => setKeep((k) => {
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
      <h2 id="rotate-title">Make a new invite?</h2>
      <p>The current invite code stops working. Choose who stays in the notebook: only they receive the new invite. Untick anyone who should not be here.</p>
      {others.length === 0 ? (
        <p className="small">Nobody else has opened this notebook yet.</p>
      ) : (
        <fieldset>
          <legend>Who stays</legend>
          {others.map((p) => (
            <label key={p.keyId} className="row" htmlFor={`keep-${p.keyId}`}>
              <input id={`keep-${p.keyId}`} type="checkbox" checked={keep.has(p.keyId)} onChange={(e) => toggle(p.keyId, e.target.checked)} data-testid={T.rotateKeep} />
              <span>
                {p.name || 'No name'} <span className="small">({p.words})</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <p className="small">You stay, and you can send the new code to anyone still to join.</p>
      <div className="row end">
        <button type="button" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => props.onConfirm(props.people.filter((p) => keep.has(p.keyId)).map((p) => p.keyId))} data-testid={T.confirmYes}>
          Make a new invite
        </button>
      </div>
    </dialog>
  );
}
