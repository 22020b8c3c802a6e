import { useState } from 'react';
import { deleteNotebook, syncEntryTitle } from '../lib/ext/notebooks';
import { setInfo } from '../lib/notebook';
import type { NotebookEntry } from '../lib/ext/storage';
import { openNotebookSession } from '../lib/sync/local/notebook-session';
import { BackupDownload } from './BackupDownload';
import { ConfirmDialog } from './ConfirmDialog';
import { RestoreBackup } from './RestoreBackup';
import { BackAndHeading } from './BackAndHeading';
import { T } from './test-ids';
import { useT } from './i18n';

/** Every notebook on this computer: open, rename, delete, or start a new one. */
export function ManageNotebooks(props: { notebooks: NotebookEntry[]; onOpen(id: string): void; onNew(): void; onJoin(): void; onClose(): void }) {
  const t = useT();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<NotebookEntry | null>(null);
  const [status, setStatus] = useState('');
  return (
    <main className="page">
      <BackAndHeading backLabel={t('manageNotebooks.back')} onBack={props.onClose} heading={t('manageNotebooks.yourNotebooks')} />
      <p className="muted">{t('manageNotebooks.oneNotebookPerPartnership')}</p>
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
                  setStatus(t('manageNotebooks.renamedToTitle', { title: title }));
                }}
              >
                <label htmlFor={`rename-${n.id}`} className="sr-only">
                  {t('manageNotebooks.newNameFor', { title: n.title })}
                </label>
                <input id={`rename-${n.id}`} value={draft} maxLength={200} onChange={(e) => setDraft(e.target.value)} autoFocus />
                <button type="submit" className="primary">
                  {t('manageNotebooks.save')}
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  {t('manageNotebooks.cancel')}
                </button>
              </form>
            ) : (
              <div className="row wrap">
                <strong className="grow">{n.title || t('manageNotebooks.untitledNotebook')}</strong>
                <button type="button" onClick={() => props.onOpen(n.id)}>
                  {t('manageNotebooks.open')}
                </button>
                <button
                  type="button"
                  data-testid={T.renameNotebook}
                  aria-label={t('manageNotebooks.renameTitle', { title: n.title })}
                  onClick={() => (setRenaming(n.id), setDraft(n.title))}
                >
                  {t('manageNotebooks.rename')}
                </button>
                <button
                  type="button"
                  data-testid={T.deleteNotebook}
                  aria-label={t('manageNotebooks.deleteTitle', { title: n.title })}
                  className="danger-text"
                  onClick={() => setDeleting(n)}
                >
                  {t('manageNotebooks.delete')}
                </button>
                <BackupDownload entry={n} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="row wrap">
        <button type="button" className="primary" onClick={props.onNew}>
          {t('manageNotebooks.newNotebook')}
        </button>
        <button type="button" onClick={props.onJoin} data-testid={T.joinNotebook}>
          {t('manageNotebooks.joinAPartnerS')}
        </button>
      </div>
      <p role="status" className="muted">
        {status}
      </p>
      <RestoreBackup notebooks={props.notebooks} onOpen={props.onOpen} />
      {deleting && (
        <ConfirmDialog
          title={t('manageNotebooks.deleteTitleFromThis', { title: deleting.title })}
          body={t('manageNotebooks.itsTopicsClipsAnd')}
          confirmLabel={t('manageNotebooks.deleteNotebook')}
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const d = deleting;
            setDeleting(null);
            await deleteNotebook(d.id);
            setStatus(t('manageNotebooks.titleWasDeletedFrom', { title: d.title }));
          }}
        />
      )}
    </main>
  );
}
