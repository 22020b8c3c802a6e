// Typing a note keystroke by keystroke into a Y.XmlFragment, in the shapes y-prosemirror writes (see three-month-notebook.ts).
import * as Y from 'yjs';
import { countWords } from '../../lib/notebook';
import type { CapturedContent } from '../../lib/notebook/types';
import { EN, type Rng, sentence } from './three-month-text';
import { NOTE_WORDS } from './three-month-content';

/** One step of typing: `n` keystrokes of a note's script, run later inside some session. */
export interface NoteTyper {
  topicId: string;
  fragment: Y.XmlFragment;
  /** Blocks in document order: the element and its text (created on the first character). */
  blocks: { el: Y.XmlElement; text: Y.XmlText | null }[];
  cur: number;
  words: number;
  pending: string;
  /** Marks to type the next characters with (bold, say). */
  attrs: Record<string, unknown> | undefined;
  done: boolean;
}

export const counters = { keystrokes: 0, backspaces: 0, newBlocks: 0, midTextEdits: 0, quotes: 0 };

/** Runs `fn` as one transaction, the way y-prosemirror writes one per ProseMirror change. */
export const key = (doc: Y.Doc, fn: () => void) => doc.transact(fn, 'y-sync$');

export function textOf(doc: Y.Doc, b: NoteTyper['blocks'][number]): Y.XmlText {
  if (b.text) return b.text;
  const t = new Y.XmlText();
  b.el.insert(0, [t]);
  b.text = t;
  return t;
}

export function newBlock(doc: Y.Doc, t: NoteTyper, name: 'paragraph' | 'heading') {
  key(doc, () => {
    const el = new Y.XmlElement(name);
    if (name === 'heading') el.setAttribute('level', 2 as unknown as string);
    t.fragment.insert(t.blocks.length ? t.fragment.length : 0, [el]);
    t.blocks.push({ el, text: null });
  });
  t.cur = t.blocks.length - 1;
  counters.newBlocks++;
}

/** Types one character at the end of the current block. */
export function typeChar(doc: Y.Doc, t: NoteTyper, ch: string) {
  const b = t.blocks[t.cur]!;
  key(doc, () => {
    const text = textOf(doc, b);
    if (t.attrs) text.insert(text.length, ch, t.attrs);
    else text.insert(text.length, ch);
  });
  counters.keystrokes++;
}

export function backspace(doc: Y.Doc, t: NoteTyper) {
  const text = t.blocks[t.cur]!.text;
  if (!text || text.length === 0) return;
  key(doc, () => text.delete(text.length - 1, 1));
  counters.keystrokes++;
  counters.backspaces++;
}

/** Types `s` at the end of the current block, with typos put right by backspacing. */
export function typeString(doc: Y.Doc, r: Rng, t: NoteTyper, s: string) {
  for (const ch of s) {
    if (ch !== ' ' && r.chance(0.02)) {
      const wrong = r.int(1, 3);
      for (let i = 0; i < wrong; i++) typeChar(doc, t, String.fromCharCode(97 + r.int(0, 25)));
      for (let i = 0; i < wrong; i++) backspace(doc, t);
    }
    typeChar(doc, t, ch);
  }
}

/** Goes back to an older paragraph and inserts a few words in the middle, keystroke by keystroke. */
export function editAbove(doc: Y.Doc, r: Rng, t: NoteTyper) {
  const candidates = t.blocks.filter((b, i) => i < t.blocks.length - 1 && b.text && b.text.length > 40 && b.el.nodeName === 'paragraph');
  if (!candidates.length) return;
  const b = r.pick(candidates);
  const text = b.text!;
  const s = text.toString();
  let pos = r.int(10, s.length - 5);
  while (pos > 0 && s[pos - 1] !== ' ') pos--;
  const words = `${sentence(r, EN, 2, 6).replace(/[.?]$/, '').toLowerCase()} `;
  for (const ch of words) {
    const at = pos++;
    key(doc, () => text.insert(at, ch));
    counters.keystrokes++;
  }
  // Sometimes a whole word is selected and deleted instead.
  if (r.chance(0.3)) {
    const s2 = text.toString();
    const from = s2.indexOf(' ', r.int(0, Math.max(0, s2.length - 20)));
    const to = from >= 0 ? s2.indexOf(' ', from + 1) : -1;
    if (from >= 0 && to > from) key(doc, () => text.delete(from, to - from));
  }
  counters.midTextEdits++;
}

/** "Quote in note": a blockquote and an attribution line with a link, in one transaction. */
export function insertQuote(doc: Y.Doc, t: NoteTyper, clip: CapturedContent) {
  key(doc, () => {
    const quote = new Y.XmlElement('blockquote');
    const p = new Y.XmlElement('paragraph');
    const qt = new Y.XmlText();
    qt.insert(0, (clip.anchor?.exact ?? clip.excerpt ?? clip.title).slice(0, 400));
    p.insert(0, [qt]);
    quote.insert(0, [p]);
    const by = new Y.XmlElement('paragraph');
    const bt = new Y.XmlText();
    bt.insert(0, '— ');
    bt.insert(2, clip.title, { link: { href: clip.url, target: '_blank', rel: 'noopener noreferrer nofollow', class: null } });
    by.insert(0, [bt]);
    t.fragment.insert(t.fragment.length, [quote, by]);
    t.blocks.push({ el: quote, text: null }, { el: by, text: bt });
  });
  counters.quotes++;
}

/** Types about `budget` keystrokes more of a note: sentences, paragraphs, headings, quotes, edits. */
export function typeSome(doc: Y.Doc, r: Rng, t: NoteTyper, budget: number, quotable: CapturedContent[]) {
  const start = counters.keystrokes;
  while (!t.done && counters.keystrokes - start < budget) {
    if (!t.blocks.length || r.chance(0.22)) {
      // A new paragraph (Enter), now and then a heading first.
      if (t.blocks.length && r.chance(0.12)) {
        newBlock(doc, t, 'heading');
        typeString(doc, r, t, sentence(r, EN, 2, 6).replace(/[.?]$/, ''));
      }
      if (t.blocks.length && quotable.length && r.chance(0.03)) insertQuote(doc, t, r.pick(quotable));
      newBlock(doc, t, 'paragraph');
    }
    const s = sentence(r, EN);
    const lead = (t.blocks[t.cur]!.text?.length ?? 0) > 0 ? ' ' : '';
    if (r.chance(0.05)) {
      // A bold phrase: Ctrl+B, a few words, Ctrl+B.
      const [first, ...rest] = s.split(' ');
      t.attrs = { bold: {} };
      typeString(doc, r, t, lead + first!);
      t.attrs = undefined;
      typeString(doc, r, t, ` ${rest.join(' ')}`);
    } else {
      typeString(doc, r, t, lead + s);
    }
    t.words += countWords(s);
    if (r.chance(0.03)) editAbove(doc, r, t);
    if (t.words >= NOTE_WORDS) t.done = true;
  }
}
