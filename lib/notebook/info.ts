/** The notebook's own fields (title, programme, dates) and a new notebook's first content. */
import * as Y from 'yjs';
import { type NotebookInfo } from './types';
import { type Deps, meta, write } from './keys';
import { migrate } from './migrations';
import { LIMITS, clean, num, str } from './parse';
import { addTopic } from './topics';

// ---------------------------------------------------------------------------------------------
// Notebook info

/** The programme's example topics (from past rounds), used to start a new notebook. */
export const EXAMPLE_TOPICS: ReadonlyArray<{ title: string; prompt: string }> = [
  { title: 'Make a connection', prompt: 'Introduce yourselves and your libraries. What does a normal working day look like for each of you?' },
  { title: 'Assess your community’s needs', prompt: 'Who lives around your library, and how do you find out what they need from it?' },
  { title: 'Library Spaces', prompt: 'Describe your library’s spaces. How are they used, and what would you change if you could?' },
  { title: 'Advocacy and Lobbying', prompt: 'How does your library speak up for itself to funders, decision makers and the public?' },
  {
    title: 'Identify a non-user and think how to engage them',
    prompt: 'Pick one person or group who does not use your library. Why not, and what could change that?',
  },
  { title: 'Proving Our Worth', prompt: 'How do you show the value of your library? Which figures and stories do you collect?' },
  { title: 'Moving for a Job', prompt: 'Have you or colleagues moved for a library job? What did it take, and what did it teach you?' },
];

const DAY = 86_400_000;

/** Options for {@link initNotebook}. */
export interface InitOptions {
  info: NotebookInfo;
  /** Start with the programme's seven example topics (fortnightly from the programme start, if given). */
  exampleTopics: boolean;
}

/** Sets up a brand-new notebook: schema version, info and, optionally, the example topics. */
export function initNotebook(doc: Y.Doc, opts: InitOptions, deps: Deps): void {
  migrate(doc);
  write(doc, () => {
    setInfo(doc, opts.info);
    if (!opts.exampleTopics) return;
    EXAMPLE_TOPICS.forEach((t, i) => {
      const start = opts.info.programmeStart !== undefined ? opts.info.programmeStart + i * 14 * DAY : undefined;
      addTopic(doc, { ...t, kind: 'programme', start, end: start !== undefined ? start + 14 * DAY - 1 : undefined }, deps);
    });
  });
}

/** Reads the notebook's info; missing fields read as empty. */
export function readInfo(doc: Y.Doc): NotebookInfo {
  const m = meta(doc);
  return {
    title: str(m.get('title'), LIMITS.title) ?? '',
    programmeName: str(m.get('programmeName'), LIMITS.title) ?? '',
    programmeStart: num(m.get('programmeStart')),
    posterDeadline: num(m.get('posterDeadline')),
  };
}

/** Changes some of the notebook's info. `undefined` in the patch clears a date. */
export function setInfo(doc: Y.Doc, patch: Partial<NotebookInfo>): void {
  write(doc, () => {
    const m = meta(doc);
    if (patch.title !== undefined) m.set('title', clean(patch.title, LIMITS.title));
    if (patch.programmeName !== undefined) m.set('programmeName', clean(patch.programmeName, LIMITS.title));
    for (const k of ['programmeStart', 'posterDeadline'] as const) {
      if (!(k in patch)) continue;
      const v = patch[k];
      if (v === undefined) m.delete(k);
      else m.set(k, v);
    }
  });
}
