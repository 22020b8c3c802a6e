import { useEffect, useState } from 'react';
import { notebooksItem, syncSettingsItem, fromHex, type NotebookEntry } from '../lib/ext/storage';
import { createInvite, encodeInvite, inviteLink, type Invite } from '../lib/sync/invite';
import type * as Y from 'yjs';
import { rotateSecret } from '../lib/ext/rotation';
import { markShared } from '../lib/ext/notebooks';
import { ConfirmDialog } from './ConfirmDialog';
import { T } from './test-ids';

/** "Invite partners": a code and a link that carry the notebook's room and secret. */
export function InvitePage(props: { entry: NotebookEntry; title: string; doc: Y.Doc; meId: string; onClose(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState('');
  const [invite, setInvite] = useState<Invite | null>(null);
  const [copied, setCopied] = useState('');
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
      <h2>Sent it to the wrong person?</h2>
      <p className="small">
        Make a new invite: the old code stops admitting new people. Partners already in the notebook move over by themselves and lose nothing.
      </p>
      <button type="button" onClick={() => setConfirming(true)} data-testid={T.rotateInvite}>
        Make a new invite…
      </button>
      <p role="status" className="small">
        {rotated}
      </p>
      {confirming && (
        <ConfirmDialog
          title="Make a new invite?"
          body="The current invite code stops working for new people. Partners who already joined keep working, and you will send the new code to anyone still to join."
          confirmLabel="Make a new invite"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            setConfirming(false);
            await rotateSecret(props.doc, props.entry.id, props.meId);
            setRotated('Done. The code above is the new invite; the old one no longer admits anyone new.');
          }}
        />
      )}
    </section>
  );
}
