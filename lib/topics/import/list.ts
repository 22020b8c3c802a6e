// Pasted lists: one topic per line, or bulleted/numbered items with their prompt underneath.
import { CONTROL } from './clean';
import type { Collector, RawRow } from './collector';
import { dateAtEnd, dateAtStart, dateCell, type DateContext, type DateRead } from './dates';

const BULLET = /^(?:[-*•·▪◦‣⁃>–—]|\u2022)\s*/;
const NUMBERING = /^(?:\(?\d{1,3}[.)]|#\d{1,3}[.:)]?|(?:week|topic|fortnight|session)\s+\d{1,2}\s*[:.)–—-]?)\s+/i;
const TITLE_PROMPT = /:\s+|\s+[–—-]\s+/;

interface ListLine {
  line: number;
  text: string;
  indent: number;
  /** Starts with a bullet or a number ("1.", "2)", "Week 3:"). */
  marked: boolean;
}

function splitTitlePrompt(s: string): { title: string; prompt: string } {
  const m = TITLE_PROMPT.exec(s);
  if (!m) return { title: s.replace(/[:–—-]\s*$/, ''), prompt: '' };
  return { title: s.slice(0, m.index), prompt: s.slice(m.index + m[0].length) };
}

function stripSeparators(s: string) {
  return s.replace(/^\s*[–—:,;|-]+\s*/, '');
}

function parseListItem(text: string, line: number, ctx: DateContext): RawRow {
  let s = text.replace(BULLET, '');
  // "title | prompt | date" and rows pasted from a spreadsheet (tab-separated).
  if (/[|\t]/.test(s)) {
    const cells = s.split(/\s*[|\t]\s*/).map((c) => c.trim());
    let date: DateRead | undefined;
    const words: string[] = [];
    for (const c of cells) {
      if (c === '') continue;
      const d = date === undefined ? dateCell(c, ctx) : undefined;
      if (d && 'date' in d) date = d;
      else if (d && 'error' in d && /\d/.test(c) && looksLikeDate(c)) date = d;
      else words.push(c);
    }
    return { line, title: words[0] ?? '', prompt: words.slice(1).join('\n'), date };
  }

  let d = dateAtStart(s, ctx);
  if (!d) {
    s = s.replace(NUMBERING, '');
    d = dateAtStart(s, ctx);
  }
  if (d) {
    s = stripSeparators(s.slice(d.to));
    // A range written as two dates ("2026-03-02 – 2026-03-15 – Title"): the end is not stored.
    const second = dateAtStart(s, ctx);
    if (second) s = stripSeparators(s.slice(second.to));
    const { title, prompt } = splitTitlePrompt(s);
    return { line, title, prompt, date: d.read };
  }
  const e = dateAtEnd(s, ctx);
  if (e) {
    const rest = s.slice(0, e.from).replace(/[\s(–—:,;|-]+$/, '');
    const { title, prompt } = splitTitlePrompt(rest);
    return { line, title, prompt, date: e.read };
  }
  const { title, prompt } = splitTitlePrompt(s);
  return { line, title, prompt };
}

/** Text that is mostly a date shape (digits and separators), so an unreadable one is reported. */
function looksLikeDate(s: string) {
  return /^\(?\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\)?$/.test(s.trim());
}

export function parseList(text: string, out: Collector, ctx: DateContext) {
  const lines: ListLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const t = raw.replace(CONTROL, '');
    if (t.trim() === '') return;
    const body = t.trimStart();
    const marked = BULLET.test(body) || (NUMBERING.test(body) && !/^\d{1,2}[./-]\d/.test(body));
    lines.push({ line: i + 1, text: body.trimEnd(), indent: t.length - body.length, marked });
  });

  // In a list whose items are bulleted or numbered, an unmarked line continues the item above
  // it (the organisers' e-mails put the prompt under the title), and so does a line indented
  // deeper than its item (sub-bullets). Lines before the first marked one (a heading) stay
  // topics of their own, for the preview to show. Without bullets or numbers every line is a
  // topic: a plain list gives no safe way to tell a prompt from the next title.
  const markedList = lines.filter((l) => l.marked).length >= 2;
  let current: RawRow | undefined;
  let currentIndent = 0;
  let inItems = false;
  for (const l of lines) {
    const continues = markedList && inItems && current !== undefined && (!l.marked || l.indent > currentIndent + 1);
    if (continues) {
      current!.prompt = current!.prompt ? `${current!.prompt}\n${l.text}` : l.text;
      continue;
    }
    if (current) out.add(current);
    if (out.full) return;
    current = parseListItem(l.text, l.line, ctx);
    currentIndent = l.indent;
    if (l.marked) inItems = true;
  }
  if (current) out.add(current);
}
