import { useState } from 'react';
import { createNotebook, markOpened, type NewNotebook } from '../lib/ext/notebooks';
import { activeNotebookItem, identityItem, notebooksItem, type Identity } from '../lib/ext/storage';
import { randomId } from '../lib/notebook/people';
import { JoinForm } from './JoinForm';
import { ManageNotebooks } from './ManageNotebooks';
import { NewNotebookForm } from './NewNotebookForm';
import { NotebookScreen } from './NotebookScreen';
import { RestoreBackup } from './RestoreBackup';
import { useStorageItem } from './use-storage-item';
import { T } from './test-ids';
import { Welcome } from './Welcome';
import { useT } from './i18n';

/** The side panel: first run, then the active notebook, or the notebook manager. */
export function App() {
  const t = useT();
  const me = useStorageItem(identityItem);
  const notebooks = useStorageItem(notebooksItem);
  const activeId = useStorageItem(activeNotebookItem);
  const [mode, setMode] = useState<'notebook' | 'manage' | 'new' | 'join' | 'restore'>('notebook');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  if (me === undefined || notebooks === undefined || activeId === undefined) {
    return (
      <main className="page" aria-busy="true">
        <p role="status">{t('app.openingPartnerNotebook')}</p>
      </main>
    );
  }
  if (me === null) {
    return <Welcome onDone={(name, color) => void identityItem.setValue({ id: randomId(), name, color } satisfies Identity)} />;
  }

  const create = async (n: NewNotebook) => {
    setBusy(true);
    setError('');
    try {
      await createNotebook(n, me);
      setMode('notebook');
    } catch (e) {
      setError(t('app.theNotebookCouldNot', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  if (mode === 'join') {
    return (
      <main className="page">
        <JoinForm me={me} onJoined={() => setMode('notebook')} onCancel={() => setMode(notebooks.length ? 'notebook' : 'new')} />
      </main>
    );
  }
  if (mode === 'restore') {
    // Also reachable with no notebook yet: a new computer starts from a backup file.
    return (
      <main className="page">
        <button type="button" className="link-button" onClick={() => setMode(notebooks.length ? 'manage' : 'new')}>
          {t('app.back')}
        </button>
        <h1>{t('app.restoreANotebook')}</h1>
        <RestoreBackup standalone notebooks={notebooks} onOpen={(id) => void markOpened(id).then(() => setMode('notebook'))} />
      </main>
    );
  }
  if (notebooks.length === 0 || mode === 'new') {
    return (
      <>
        <NewNotebookForm
          first={notebooks.length === 0}
          busy={busy}
          onCreate={create}
          onCancel={notebooks.length ? () => setMode('notebook') : undefined}
          onJoin={() => setMode('join')}
        />
        <p className="page restore-start">
          {t('app.haveABackupFile')}{' '}
          <button type="button" className="link-button" data-testid={T.restoreStart} onClick={() => setMode('restore')}>
            {t('app.restoreANotebookFrom')}
          </button>
        </p>
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
      </>
    );
  }
  if (mode === 'manage') {
    return (
      <ManageNotebooks
        notebooks={notebooks}
        onOpen={(id) => void markOpened(id).then(() => setMode('notebook'))}
        onNew={() => setMode('new')}
        onJoin={() => setMode('join')}
        onClose={() => setMode('notebook')}
      />
    );
  }
  const entry = notebooks.find((n) => n.id === activeId) ?? [...notebooks].sort((a, b) => b.lastOpenedAt - a.lastOpenedAt)[0]!;
  return (
    <NotebookScreen key={entry.id} entry={entry} notebooks={notebooks} me={me} onSwitch={(id) => void markOpened(id)} onManage={() => setMode('manage')} />
  );
}
