import { useState } from 'react';
import { deleteNotebook, syncEntryTitle } from '../lib/ext/notebooks';
import { setInfo } from '../lib/notebook';
import type { NotebookEntry } from '../lib/ext/storage';
import { openNotebookSession } from '../lib/sync/notebook-session';
import { BackupDownload } from './BackupDownload';
import { ConfirmDialog } from './ConfirmDialog';
import { RestoreBackup } from './RestoreBackup';
import { T } from './test-ids';

/** Every notebook on this computer: open, rename, delete, or start a new one. */
export function ManageNotebooks(props: { notebooks: NotebookEntry[]; onOpen(id: string): void; onNew(): void; onJoin(): void; onClose(): void }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<NotebookEntry | null>(null);
  const [status, setStatus] = useState('');
  return (
    <main className="page">
      <button type="button" className="link-button" onClick={props.onClose}>
        ← Back
      </button>
      <h1 tabIndex={-1}>Your notebooks</h1>
      <p className="muted">One notebook per partnership. Deleting removes it from this computer only.</p>
      <ul className="plain">
        {props.notebooks.map((n) => (
          <li key={n.id} className="card">
            {renaming === n.id ? (
              <form
                className="row"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const title = draft.trim();
                  if (!title) return;
                  // Rename inside the notebook itself so partners see the new name too.
                  const s = openNotebookSession(n.id);
                  await s.ready;
                  setInfo(s.doc, { title });
                  await s.persistence.confirm();
                  await s.close();
                  await syncEntryTitle(n.id, title);
                  setRenaming(null);
                  setStatus(`Renamed to “${title}”.`);
                }}
              >
                <label htmlFor={`rename-${n.id}`} className="sr-only">
                  New name for {n.title}
                </label>
                <input id={`rename-${n.id}`} value={draft} maxLength={200} onChange={(e) => setDraft(e.target.value)} autoFocus />
                <button type="submit" className="primary">
                  Save
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <div className="row wrap">
                <strong className="grow">{n.title || 'Untitled notebook'}</strong>
                <button type="button" onClick={() => props.onOpen(n.id)}>
                  Open
                </button>
                <button type="button" data-testid={T.renameNotebook} aria-label={`Rename ${n.title}`} onClick={() => (setRenaming(n.id), setDraft(n.title))}>
                  Rename
                </button>
                <button type="button" data-testid={T.deleteNotebook} aria-label={`Delete ${n.title}`} className="danger-text" onClick={() => setDeleting(n)}>
                  Delete…
                </button>
                <BackupDownload entry={n} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="row wrap">
        <button type="button" className="primary" onClick={props.onNew}>
          New notebook
        </button>
        <button type="button" onClick={props.onJoin} data-testid={T.joinNotebook}>
          Join a partner’s notebook
        </button>
      </div>
      <p role="status" className="muted">
        {status}
      </p>
      <RestoreBackup notebooks={props.notebooks} onOpen={props.onOpen} />
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.title}” from this computer?`}
          body="Its topics, clips and notes are removed from this browser. Partners who share it keep their copy. This cannot be undone here."
          confirmLabel="Delete notebook"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const d = deleting;
            setDeleting(null);
            await deleteNotebook(d.id);
            setStatus(`“${d.title}” was deleted from this computer.`);
          }}
        />
      )}
    </main>
  );
}
