/** Malformed entries that readers skipped, remembered per doc so the panel can tell the person once. */
import * as Y from 'yjs';

// Malformed entries seen per doc ("topics/<id>"), so the panel can tell the person once.
const problems = new WeakMap<Y.Doc, Set<string>>();
/** Entries that readers skipped because a peer (or a bug) left them malformed. */
export function readProblems(doc: Y.Doc): string[] {
  return [...(problems.get(doc) ?? [])];
}
export function skip<T>(doc: Y.Doc, where: string): T | undefined {
  if (!problems.has(doc)) problems.set(doc, new Set());
  problems.get(doc)!.add(where);
  return undefined;
}
