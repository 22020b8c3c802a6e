/** Schema versions and the named migrations that bring an older notebook up to {@link SCHEMA_VERSION}. */
import * as Y from 'yjs';
import { encodeClipBody } from './clip-body';
import { NOTE_PREFIX, clipsMap, meta, write } from './keys';
import { NotebookError, num, parseJson, str } from './parse';

// ---------------------------------------------------------------------------------------------
// Versions and migrations

/** A named, numbered change to the document's shape. `run` must be idempotent: peers may run it concurrently. */
export interface Migration {
  /** The version the document has after this migration. */
  to: number;
  name: string;
  run(doc: Y.Doc): void;
}

/** The migrations of this build, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    name: 'initial shape',
    run(doc) {
      // Version 1 only requires the meta map to exist; root types are created lazily.
      meta(doc);
    },
  },
  {
    to: 2,
    name: 'clip bodies compressed',
    run(doc) {
      // Version 1 kept each clip's HTML and text inside its JSON string; they move to `body`.
      // Peers migrating the same clip at once write equal values, so either write may win.
      clipsMap(doc).forEach((m) => {
        if (!(m instanceof Y.Map) || m.get('body') instanceof Uint8Array) return;
        const o = parseJson(m.get('captured'));
        if (!o || typeof o !== 'object') return;
        const { html, text, ...small } = o as Record<string, unknown>;
        if (typeof html !== 'string' && typeof text !== 'string') return;
        m.set('body', encodeClipBody({ html: str(html), text: str(text) }));
        m.set('captured', JSON.stringify(small));
      });
    },
  },
];

/** The schema version stored in the doc (0 for a new, empty doc). */
export function schemaVersion(doc: Y.Doc): number {
  return num(meta(doc).get('schemaVersion')) ?? 0;
}

/**
 * Brings a doc up to `migrations`' latest version. Refuses a doc written by a newer build,
 * because writing to it could lose fields this build does not know.
 * @returns the names of the migrations that ran.
 */
export function migrate(doc: Y.Doc, migrations: readonly Migration[] = MIGRATIONS): string[] {
  const target = migrations.at(-1)?.to ?? 0;
  const current = schemaVersion(doc);
  if (current > target) {
    throw new NotebookError(
      `This notebook was saved by a newer version of Partner Notebook (format ${current}; this one reads up to ${target}). Update the extension, then open it again. Nothing has been changed.`,
    );
  }
  const ran: string[] = [];
  write(
    doc,
    () => {
      for (const m of migrations) {
        if (m.to <= current) continue;
        m.run(doc);
        meta(doc).set('schemaVersion', m.to);
        ran.push(m.name);
      }
      typeNotes(doc);
    },
    'migration',
  );
  return ran;
}

/**
 * Root types arrive from storage and peers untyped; Yjs types each one on first access, in a
 * transaction of its own. Typing every note here, inside one transaction, saves a transaction per
 * note when the topic list first counts their words (each costs about 1 ms in a notebook written
 * from 600 browser sessions, as Yjs snapshots every session's clock around it).
 */
function typeNotes(doc: Y.Doc) {
  for (const name of doc.share.keys()) if (name.startsWith(NOTE_PREFIX)) doc.getXmlFragment(name);
}
