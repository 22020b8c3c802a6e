/**
 * The only file that names the root types and keys of a notebook's Y.Doc. The other files of
 * lib/notebook/ reach the doc through the accessors here; everything outside calls their typed
 * functions (imported from lib/notebook).
 *
 * Shape (schema version 2):
 *   meta      Y.Map   schemaVersion, title, programmeName, programmeStart, posterDeadline
 *   topics    Y.Map<id, Y.Map>  title, prompt, kind, start, end, order, archived, createdAt
 *   note:<id> Y.XmlFragment     one shared rich-text body per topic (bound to Tiptap)
 *   clips     Y.Map<id, Y.Map>  captured (JSON text of the small fields, immutable),
 *                               body (Uint8Array: compressed html + text, immutable; clip-body.ts),
 *                               made (JSON {by, at}: who clipped it and when, immutable),
 *                               topicId, comment (absent while empty), tags (Y.Map<tag, true>),
 *                               deletedAt. Version 1 clips have clippedBy (JSON) and clippedAt
 *                               instead of made, and HTML and text inside captured.
 *   partners  Y.Map<id, Y.Map>  one key per profile field; facts flattened; social as JSON
 *   members   Y.Map<key id, string>   signed member entries (lib/sync/keys/rotation.ts)
 *   rotations Y.Map<epoch:signer:digest, string>  signed new-invite records (lib/sync/keys/rotation.ts)
 *
 * Notes are root-level fragments (not values inside a map) because root types merge by name:
 * two partners who open a topic's note at the same moment can never create two competing bodies.
 *
 * Everything read from the doc is parsed defensively: a peer is untrusted input, so a value of
 * the wrong type is dropped (and counted in {@link readProblems}) rather than crashing the panel.
 */
import * as Y from 'yjs';
import './yjs-binary-views';

/** The schema version this build writes. */
export const SCHEMA_VERSION = 2;

/** Where the clock and ids come from, so tests are deterministic. */
export interface Deps {
  newId(): string;
  now(): number;
}

/** Transaction origin for changes made by the person at this computer. */
export const LOCAL_ORIGIN = 'local';

export const META = 'meta';
export const TOPICS = 'topics';
export const CLIPS = 'clips';
export const PARTNERS = 'partners';
export const CLIENTS = 'clients';
// 'memberKeys' and meta 'rotation' held the first, unsigned scheme; they are no longer read.
export const MEMBERS = 'members';
export const ROTATIONS = 'rotations';
export const NOTE_PREFIX = 'note:';

// ---------------------------------------------------------------------------------------------
// Root types (for the files of lib/notebook/ only; not re-exported by index.ts)

export const meta = (doc: Y.Doc) => doc.getMap<unknown>(META);
export const topicsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(TOPICS);
export const clipsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(CLIPS);
export const partnersMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(PARTNERS);

export function write(doc: Y.Doc, fn: () => void, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(fn, origin);
}

export const POSTER = 'poster';
export const POSTER_THEMES = 'poster/themes';
export const POSTER_TEXT_PREFIX = 'poster/text/';

export const posterMap = (doc: Y.Doc) => doc.getMap<unknown>(POSTER);
export const themesMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(POSTER_THEMES);
