import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { startClipFiler, type ArrivedClip } from '../lib/ext/clip-filer';
import type { Identity } from '../lib/ext/storage';
import type { ClipWhere } from '../lib/notebook/clip-destination';

export type { ArrivedClip };

/** Files queued clips into this notebook while the panel shows it (lib/ext/clip-filer.ts); returns the last five that arrived. */
export function useClipQueue(doc: Y.Doc, notebookId: string, me: Identity, where: ClipWhere, durable: () => Promise<void>): ArrivedClip[] {
  const [arrived, setArrived] = useState<ArrivedClip[]>([]);
  const whereRef = useRef(where);
  whereRef.current = where;
  useEffect(
    () =>
      startClipFiler({ doc, notebookId, me: { id: me.id, name: me.name }, where: () => whereRef.current, durable }, (clip) =>
        setArrived((a) => [...a, clip].slice(-5)),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `durable` belongs to the same session as `doc`
    [doc, notebookId, me.id, me.name],
  );
  return arrived;
}
