import { useId, useRef, useState } from 'react';
import { currentLocale } from '../lib/i18n';
import type { Backup } from '../lib/backup/format';
import type { RestoreResult, RestoreTarget } from '../lib/ext/backup';
import type { NotebookEntry } from '../lib/ext/storage';
import { formatBytes } from './download';
import { T } from './test-ids';
import { useT } from './i18n';

/**
 * "Restore from a backup file…": choose a file, see what it holds, then restore it as a new
 * notebook (rejoining the partnership if the file has the secret) or merge it into the notebook it
 * came from. Nothing is written until the person presses a restore button, and not at all when the
 * file fails a check.
 */
export function RestoreBackup(props: { notebooks: NotebookEntry[]; onOpen(id: string): void; /** The page has its own heading. */ standalone?: boolean }) {
  const t = useT();
  const [backup, setBackup] = useState<Backup | null>(null);
  const [rejoin, setRejoin] = useState(true);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [result, setResult] = useState<RestoreResult | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const here = backup ? props.notebooks.find((n) => n.id === backup.notebookId) : undefined;

  const choose = async (file: File | undefined) => {
    setBackup(null);
    setResult(null);
    setError('');
    if (!file) return;
    setBusy(t('restoreBackup.checkingName', { name: file.name }));
    try {
      const { checkBackupSize, decodeBackup } = await import('../lib/backup/format');
      // Before reading: a huge wrong file must not be loaded into memory.
      checkBackupSize(file.size);
      const b = await decodeBackup(new Uint8Array(await file.arrayBuffer()));
      setBackup(b);
      setRejoin(true);
    } catch (e) {
      setError(t('restoreBackup.nameCannotBeRestored', { name: file.name, message: (e as Error).message }));
      // So that choosing the same file again (after fixing it) runs the check again.
      if (input.current) input.current.value = '';
    } finally {
      setBusy('');
    }
  };

  const restore = async (target: RestoreTarget) => {
    if (!backup) return;
    setError('');
    setBusy(
      target.mode === 'merge'
        ? t('restoreBackup.mergingTheBackupInto', { title: here?.title ?? '' })
        : t('restoreBackup.restoringTitle', { title: backup.title }),
    );
    try {
      const { restoreBackup } = await import('../lib/ext/backup');
      setResult(await restoreBackup(backup, target));
      setBackup(null);
      if (input.current) input.current.value = '';
    } catch (e) {
      const name = (e as Error).name;
      setError(name === 'BackupError' ? (e as Error).message : t('restoreBackup.theBackupCouldNot', { message: (e as Error).message }));
    } finally {
      setBusy('');
    }
  };

  return (
    <section className={props.standalone ? 'restore-backup standalone' : 'restore-backup'} aria-labelledby={props.standalone ? undefined : `${id}-h`}>
      {!props.standalone && <h2 id={`${id}-h`}>{t('restoreBackup.restoreFromABackup')}</h2>}
      <p className="muted">{t('restoreBackup.chooseAFileSaved')}</p>
      <label htmlFor={`${id}-file`}>{t('restoreBackup.backupFile')}</label>
      <input
        ref={input}
        id={`${id}-file`}
        type="file"
        accept=".json,application/json"
        data-testid={T.restoreFile}
        onChange={(e) => void choose(e.target.files?.[0])}
        disabled={!!busy}
      />
      {backup && (
        <div className="card" data-testid={T.restorePreview}>
          <p>
            <strong>{backup.title || t('restoreBackup.untitledNotebook')}</strong>
            <br />
            {t('restoreBackup.backupMade')} {new Date(backup.exportedAt).toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' })}
            {backup.appVersion && t('restoreBackup.withPartnerNotebookAppversion', { appVersion: backup.appVersion })} · {formatBytes(backup.fileBytes)}
          </p>
          <p data-testid={T.restoreCounts}>
            {t('restoreBackup.counts', {
              topics: t('restoreBackup.nTopics', { count: backup.counts.topics }),
              notes: backup.counts.notes,
              clips: t('restoreBackup.nClips', { count: backup.counts.clips }),
              profiles: t('restoreBackup.nProfiles', { count: backup.counts.partners }),
            })}
          </p>
          {here ? (
            <>
              <p className="muted">{t('restoreBackup.isAlreadyOnThis', { title: here.title })}</p>
              <div className="row wrap">
                <button type="button" className="primary" data-testid={T.restoreMerge} disabled={!!busy} onClick={() => void restore({ mode: 'merge' })}>
                  {t('restoreBackup.mergeInto', { title: here.title })}
                </button>
                <button type="button" data-testid={T.restoreNew} disabled={!!busy} onClick={() => void restore({ mode: 'new' })}>
                  {t('restoreBackup.restoreAsANew')}
                </button>
              </div>
              <p className="muted">{t('restoreBackup.aNewNotebookIs')}</p>
            </>
          ) : (
            <>
              {backup.rejoin ? (
                <label className="row" htmlFor={`${id}-rejoin`}>
                  <input id={`${id}-rejoin`} type="checkbox" data-testid={T.restoreRejoin} checked={rejoin} onChange={(e) => setRejoin(e.target.checked)} />
                  <span>{t('restoreBackup.rejoinYourPartnersWith')}</span>
                </label>
              ) : (
                <p className="muted">{t('restoreBackup.thisFileDoesNot')}</p>
              )}
              <button
                type="button"
                className="primary"
                data-testid={T.restoreNew}
                disabled={!!busy}
                onClick={() => void restore({ mode: 'new', rejoin: !!backup.rejoin && rejoin })}
              >
                {t('restoreBackup.restoreAsANew')}
              </button>
            </>
          )}
        </div>
      )}
      <p role="status" data-testid={T.restoreStatus}>
        {busy || result?.summary}
      </p>
      {result && (
        <button type="button" className="primary" data-testid={T.restoreOpen} onClick={() => props.onOpen(result.id)}>
          {t('restoreBackup.open', { title: result.title })}
        </button>
      )}
      {error && (
        <p className="alert" role="alert" data-testid={T.restoreError}>
          {error}
        </p>
      )}
    </section>
  );
}
