import { useEffect } from 'react';
import { watchWaitingImages } from '../lib/ext/image-filer';
import type { NotebookSession } from '../lib/sync/local/notebook-session';

/**
 * Files captured images into this notebook (lib/ext/image-filer.ts) while it is open. `trigger`
 * changes when new clips were filed (their images may have been waiting).
 */
export function useImageQueue(session: NotebookSession, trigger: string): void {
  useEffect(() => watchWaitingImages(session, !!trigger), [session, trigger]);
}
