/** A notebook as the panel reads it, for tests that compare replicas or a notebook before and after. */
import type * as Y from 'yjs';
import { noteBody, readClips, readInfo, readPartners, readTopics, topicStats } from '../../lib/notebook';

/** Everything readable in `doc` as JSON (with `stats`, the topic statistics too). */
export function notebookView(doc: Y.Doc, opts: { stats?: boolean } = {}): string {
  return JSON.stringify({
    info: readInfo(doc),
    topics: readTopics(doc),
    clips: readClips(doc, { includeDeleted: true }),
    partners: readPartners(doc),
    notes: readTopics(doc).map((t) => noteBody(doc, t.id).toJSON()),
    ...(opts.stats && { stats: [...topicStats(doc)] }),
  });
}
