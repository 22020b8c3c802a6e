import { useId, useState } from 'react';
import type { NotebookEntry } from '../lib/ext/storage';
import { formatBytes, saveFile } from './download';
import { T } from './test-ids';
import { useT } from './i18n';

/**
 * "Download backup…" for one notebook: the button, and when opened the choice of including the
 * invite secret (off unless the person ticks it: such a file is as sensitive as an invite).
 */
export function BackupDownload(props: { entry: NotebookEntry }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [withSecret, setWithSecret] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const id = useId();
  const title = props.entry.title || t('backupDownload.untitledNotebook');

  const download = async () => {
    setBusy(true);
    setError('');
    setStatus(t('backupDownload.makingTheBackup'));
    try {
      // Loaded on first use: the panel's first paint does not need the backup code.
      const { makeBackup } = await import('../lib/ext/backup');
      const file = await makeBackup(props.entry, { includeSecret: withSecret });
      const size = saveFile(file.bytes as Uint8Array<ArrayBuffer>, file.fileName, 'application/json');
      setStatus(
        t('backupDownload.savedFilenamePTo', { fileName: file.fileName, p1: formatBytes(size) }) +
          (withSecret ? t('backupDownload.itIncludesTheInvite') : t('backupDownload.keepItSomewhereSafe')),
      );
    } catch (e) {
      setStatus('');
      setError(t('backupDownload.theBackupCouldNot', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        data-testid={T.backupOpen}
        aria-label={t('backupDownload.downloadBackupOfTitle', { title: title })}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('backupDownload.downloadBackup')}
      </button>
      {open && (
        <div className="backup-options">
          <p className="muted">{t('backupDownload.oneFileWithEverything', { title })}</p>
          <label className="row" htmlFor={`${id}-secret`}>
            <input
              id={`${id}-secret`}
              type="checkbox"
              data-testid={T.backupSecret}
              checked={withSecret}
              onChange={(e) => setWithSecret(e.target.checked)}
              disabled={!props.entry.secret}
            />
            <span>{t('backupDownload.includeTheInviteSecret')}</span>
          </label>
          <p className="muted">{withSecret ? t('backupDownload.anyoneWhoHasThis') : t('backupDownload.withoutItARestored')}</p>
          <button type="button" className="primary" data-testid={T.backupDownload} onClick={() => void download()} disabled={busy}>
            {t('backupDownload.download')}
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
