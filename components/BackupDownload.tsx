import { useId, useState } from 'react';
import type { NotebookEntry } from '../lib/ext/storage';
import { formatBytes, saveFile } from './download';
import { T } from './test-ids';

/**
 * "Download backup…" for one notebook: the button, and when opened the choice of including the
 * invite secret (off unless the person ticks it: such a file is as sensitive as an invite).
 */
export function BackupDownload(props: { entry: NotebookEntry }) {
  const [open, setOpen] = useState(false);
  const [withSecret, setWithSecret] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const id = useId();
  const title = props.entry.title || 'Untitled notebook';

  const download = async () => {
    setBusy(true);
    setError('');
    setStatus('Making the backup…');
    try {
      // Loaded on first use: the panel's first paint does not need the backup code.
      const { makeBackup } = await import('../lib/ext/backup');
      const file = await makeBackup(props.entry, { includeSecret: withSecret });
      const size = saveFile(file.bytes as Uint8Array<ArrayBuffer>, file.fileName, 'application/json');
      setStatus(
        `Saved “${file.fileName}” (${formatBytes(size)}) to your downloads.` +
          (withSecret ? ' It includes the invite secret: keep it as private as an invite.' : ' Keep it somewhere safe, such as your email or a cloud folder.'),
      );
    } catch (e) {
      setStatus('');
      setError(`The backup could not be made: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" data-testid={T.backupOpen} aria-label={`Download backup of ${title}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        Download backup…
      </button>
      {open && (
        <div className="backup-options">
          <p className="muted">One file with everything in “{title}”: topics, notes, clips, profiles and the poster. You can restore it here or on another computer.</p>
          <label className="row" htmlFor={`${id}-secret`}>
            <input id={`${id}-secret`} type="checkbox" data-testid={T.backupSecret} checked={withSecret} onChange={(e) => setWithSecret(e.target.checked)} disabled={!props.entry.secret} />
            <span>Include the invite secret so this backup can rejoin your partners</span>
          </label>
          <p className="muted">{withSecret ? 'Anyone who has this file can then join the notebook and read and change everything in it, as with an invite. Keep it private.' : 'Without it, a restored copy is yours alone until you invite your partners again.'}</p>
          <button type="button" className="primary" data-testid={T.backupDownload} onClick={() => void download()} disabled={busy}>
            Download
          </button>
          <p role="status" className="muted" data-testid={T.backupStatus}>
            {status}
          </p>
          {error && (
            <p className="alert" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </>
  );
}
