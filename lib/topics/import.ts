/**
 * Reading the organisers' topic schedule from whatever they sent: a pasted list from an e-mail,
 * a CSV export of a spreadsheet, or JSON. Never throws: everything it cannot read becomes a
 * message a librarian (often reading English as a second language) can act on, with the line
 * it is on. Rows with an error are left out of `rows`, so a preview of `rows` shows exactly
 * what will be imported.
 *
 * Dates. Accepted: ISO `2026-03-02` (also with `/` or `.`), numeric `2.3.2026`, `02/03/2026`,
 * `2-3-26`, and English month names (`2 March 2026`, `2nd of Mar 2026`, `March 2, 2026`,
 * `Monday 2 March 2026`, `2–15 March 2026` → the first day). A weekday, when given, must match.
 *
 * Day or month first, for numeric dates: a number above 12 settles it for that date (`15/03` is
 * day-first, `03/15` month-first). When both are 12 or less, the whole input decides: if some
 * date in it can only be month-first and none can only be day-first, all ambiguous ones are read
 * month-first (an organiser writing US-style); otherwise day-first, which most of the programme's
 * countries use. `options.dateOrder` overrides this.
 *
 * A date without a year (`2 March`) takes `options.defaultYear`, or else the year of the last
 * earlier date that had one; with neither it is an error.
 */
import { date, t } from '../i18n';
import { isoDate, isRealDate, isValidTimeZone, localDate, startOfDay, type CalendarDate } from './time-zone';

/** One topic read from the input. */
export interface ImportedTopic {
  /** The input line the topic starts on (1-based), for the preview. */
  line: number;
  title: string;
  /** The organisers' prompt; empty when the input had none. */
  prompt: string;
  /** Local midnight of the start date in `options.timeZone` (epoch ms), when a date was given. */
  start?: number;
  /** The same start date as a calendar date, "2026-03-02", so the caller can re-anchor it in another zone. */
  startDate?: string;
}

/** Something in the input that could not be imported. `line` is 1-based; 0 means the input as a whole. */
export interface ImportError {
  line: number;
  message: string;
}

/** Which reader was used. */
export type ImportFormat = 'list' | 'csv' | 'json';

/** Result of {@link parseTopicSchedule}. */
export interface ImportResult {
  rows: ImportedTopic[];
  errors: ImportError[];
  format: ImportFormat;
}

/** Options of {@link parseTopicSchedule}. */
export interface ImportOptions {
  /** Force a reader instead of guessing from the content. */
  format?: ImportFormat | 'auto';
  /** Zone in which start dates begin at midnight (the notebook's or the organisers'); default "UTC". */
  timeZone?: string;
  /** How to read ambiguous numeric dates such as 02/03/2026 (see the module comment). */
  dateOrder?: 'day-first' | 'month-first';
  /** Year for dates written without one. */
  defaultYear?: number;
}

/** Bounds on what one import may contain. */
export const IMPORT_LIMITS = {
  rows: 100,
  title: 200,
  prompt: 4_000,
  /** Input size in UTF-8 bytes (1 MB). */
  bytes: 1_048_576,
} as const;

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const WEEKDAYS: Record<string, number> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};
/** A weekday's name (0 = Sunday) in the panel's language. */
const weekdayName = (day: number) => date(Date.UTC(2026, 2, 1 + day), { weekday: 'long', timeZone: 'UTC' });
const MONTH_RE = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const WEEKDAY_RE = '(?:(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\\.?,?\\s+)?';
const ORD = '(?:st|nd|rd|th)?';
const DASH = '[-–—]';

type DateOrder = 'day-first' | 'month-first';

/** What a date-shaped piece of text turned out to be. */
type DateRead = { date: CalendarDate } | { error: string };

interface DateContext {
  order: DateOrder;
  defaultYear?: number;
  /** Year of the last date read that spelled one out. */
  lastYear?: number;
}

interface DatePattern {
  source: string;
  read(m: RegExpExecArray, raw: string, ctx: DateContext): DateRead;
}

function finish(raw: string, y: number | undefined, mo: number, d: number, weekday: string | undefined, ctx: DateContext): DateRead {
  let year = y;
  if (year === undefined) {
    year = ctx.defaultYear ?? ctx.lastYear;
    if (year === undefined) {
      return { error: t('import.noYear', { date: raw }) };
    }
  } else {
    if (year < 100) year += 2000;
    ctx.lastYear = year;
  }
  if (year < 2000 || year > 2100) return { error: t('import.badYear', { date: raw }) };
  if (!isRealDate(year, mo, d)) return { error: t('import.noSuchDate', { date: raw }) };
  const date = { year, month: mo, day: d };
  if (weekday !== undefined) {
    const actual = new Date(Date.UTC(year, mo - 1, d)).getUTCDay();
    const said = WEEKDAYS[weekday.toLowerCase()];
    if (said !== undefined && said !== actual) {
      return { error: t('import.wrongWeekday', { date: raw, actual: weekdayName(actual), said: weekdayName(said) }) };
    }
  }
  return { date };
}

const DATE_PATTERNS: DatePattern[] = [
  {
    // ISO and its relatives: 2026-03-02, 2026/3/2, 2026.03.02
    source: `${WEEKDAY_RE}(\\d{4})([-/.])(\\d{1,2})\\3(\\d{1,2})`,
    read: (m, raw, ctx) => finish(raw, Number(m[2]), Number(m[4]), Number(m[5]), m[1], ctx),
  },
  {
    // Numeric with the year last: 2.3.2026, 02/03/2026, 2-3-26
    source: `${WEEKDAY_RE}(\\d{1,2})([-/.])(\\d{1,2})\\3(\\d{4}|\\d{2})(?!\\d)`,
    read(m, raw, ctx) {
      const a = Number(m[2]);
      const b = Number(m[4]);
      const order: DateOrder = a > 12 ? 'day-first' : b > 12 ? 'month-first' : ctx.order;
      const [d, mo] = order === 'day-first' ? [a, b] : [b, a];
      return finish(raw, Number(m[5]), mo, d, m[1], ctx);
    },
  },
  {
    // 2 March 2026, 2nd of Mar, 2–15 March 2026, Monday 2 March
    source: `${WEEKDAY_RE}(\\d{1,2})${ORD}(?:\\s*${DASH}\\s*\\d{1,2}${ORD})?\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+(\\d{4}))?`,
    read: (m, raw, ctx) => finish(raw, m[4] ? Number(m[4]) : undefined, MONTHS[m[3]!.toLowerCase()]!, Number(m[2]), m[1], ctx),
  },
  {
    // March 2, 2026; Mar 2nd 2026; March 2–15, 2026
    source: `${WEEKDAY_RE}${MONTH_RE}\\s+(\\d{1,2})${ORD}(?:\\s*${DASH}\\s*\\d{1,2}${ORD})?(?:,?\\s+(\\d{4}))?`,
    read: (m, raw, ctx) => finish(raw, m[4] ? Number(m[4]) : undefined, MONTHS[m[2]!.toLowerCase()]!, Number(m[3]), m[1], ctx),
  },
];

// A date must end at a word boundary, so "2 Marchers" or "2026-03-021" are not dates.
const END = '(?![\\p{L}\\p{N}])';
// Optional parentheses: "Week 1 (2 March): Advocacy".
const AT_START = DATE_PATTERNS.map((p) => new RegExp(`^\\(?(?:${p.source})\\)?${END}`, 'iu'));
const WHOLE = DATE_PATTERNS.map((p) => new RegExp(`^\\s*\\(?(?:${p.source})\\)?[.,]?\\s*$`, 'iu'));
// The lookbehind (not a group) keeps the patterns' own group numbers, which their backreferences use.
const AT_END = DATE_PATTERNS.map((p) => new RegExp(`(?<=^|[\\s(\\[,;:|–—-])\\(?(?:${p.source})\\)?[.]?\\s*$`, 'iu'));

interface DateMatch {
  read: DateRead;
  /** Where the date text starts and ends in the searched string. */
  from: number;
  to: number;
}

/** The longest date at the start of `s`, if any. */
function dateAtStart(s: string, ctx: DateContext): DateMatch | undefined {
  let best: { i: number; m: RegExpExecArray } | undefined;
  AT_START.forEach((re, i) => {
    const m = re.exec(s);
    if (m && (!best || m[0].length > best.m[0].length)) best = { i, m };
  });
  if (!best) return undefined;
  const raw = best.m[0].trim().replace(/^\(|\)$/g, '');
  return { read: DATE_PATTERNS[best.i]!.read(best.m, raw, ctx), from: 0, to: best.m[0].length };
}

/** A date at the end of `s` ("Library Spaces – 2 March 2026", "Library Spaces (2.3.2026)"). */
function dateAtEnd(s: string, ctx: DateContext): DateMatch | undefined {
  // The leftmost match is the longest date ("Monday 2 March 2026" rather than "2 March 2026").
  let best: { i: number; from: number; raw: string } | undefined;
  AT_END.forEach((re, i) => {
    const m = re.exec(s);
    if (m && (!best || m.index < best.from)) best = { i, from: m.index, raw: m[0].trim().replace(/^\(|\)?\.?$/g, '') };
  });
  if (!best) return undefined;
  // Re-run the pattern on the date alone so the reader gets the groups it expects.
  const m = AT_START[best.i]!.exec(best.raw);
  if (!m) return undefined;
  return { read: DATE_PATTERNS[best.i]!.read(m, best.raw, ctx), from: best.from, to: s.length };
}

/** A whole cell that should be a date: `undefined` for an empty cell. */
function dateCell(cell: string, ctx: DateContext): DateRead | undefined {
  const raw = cell.trim();
  if (raw === '') return undefined;
  for (let i = 0; i < WHOLE.length; i++) {
    const m = WHOLE[i]!.exec(raw);
    if (m) return DATE_PATTERNS[i]!.read(m, raw.replace(/^\(|\)?[.,]?$/g, ''), ctx);
  }
  return { error: t('import.unreadableDate', { date: short(raw) }) };
}

/** Day-first unless the input's own unambiguous dates say month-first (see the module comment). */
function guessOrder(text: string): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?!\d)/g)) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dayFirst++;
    else if (b > 12 && a <= 12) monthFirst++;
  }
  return monthFirst > 0 && dayFirst === 0 ? 'month-first' : 'day-first';
}

// ---------------------------------------------------------------------------------------------
// Rows

const short = (s: string, max = 40) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
// C0/C1 controls and zero-width/bidi marks that pasting from e-mail or Word drags along.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

const cleanTitle = (s: string) => s.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
const cleanPrompt = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** A row before validation: `date` is raw text (to read) or epoch ms (from JSON), if any. */
interface RawRow {
  line: number;
  title: string;
  prompt: string;
  date?: DateRead | { epoch: number };
}

class Collector {
  readonly rows: ImportedTopic[] = [];
  readonly errors: ImportError[] = [];
  private readonly seen = new Map<string, number>();
  full = false;

  constructor(private readonly timeZone: string) {}

  error(line: number, message: string) {
    this.errors.push({ line, message: line > 0 ? t('import.line', { line: String(line), message }) : capitalise(message) });
  }

  add(row: RawRow) {
    if (this.full) return;
    const title = cleanTitle(row.title);
    const prompt = cleanPrompt(row.prompt);
    if (title === '') {
      this.error(row.line, prompt === '' && row.date ? t('import.noTitleButDate') : t('import.titleEmpty'));
      return;
    }
    if (title.length > IMPORT_LIMITS.title) {
      this.error(row.line, t('import.titleTooLong', { length: title.length, limit: IMPORT_LIMITS.title }));
      return;
    }
    if (prompt.length > IMPORT_LIMITS.prompt) {
      this.error(row.line, t('import.promptTooLong', { length: prompt.length, limit: IMPORT_LIMITS.prompt }));
      return;
    }
    let start: number | undefined;
    let startDate: string | undefined;
    if (row.date && 'error' in row.date) {
      this.error(row.line, row.date.error);
      return;
    }
    if (row.date && 'date' in row.date) {
      start = startOfDay(this.timeZone, row.date.date);
      startDate = isoDate(row.date.date);
    } else if (row.date && 'epoch' in row.date) {
      start = startOfDay(this.timeZone, localDate(this.timeZone, row.date.epoch));
      startDate = isoDate(localDate(this.timeZone, row.date.epoch));
    }
    const key = title.toLocaleLowerCase('en');
    const earlier = this.seen.get(key);
    if (earlier !== undefined) {
      this.error(row.line, t('import.duplicate', { title: short(title), earlier: String(earlier) }));
      return;
    }
    if (this.rows.length >= IMPORT_LIMITS.rows) {
      this.full = true;
      this.error(row.line, t('import.tooMany', { limit: IMPORT_LIMITS.rows }));
      return;
    }
    this.seen.set(key, row.line);
    const out: ImportedTopic = { line: row.line, title, prompt };
    if (start !== undefined) {
      out.start = start;
      out.startDate = startDate;
    }
    this.rows.push(out);
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// Pasted lists

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

function parseList(text: string, out: Collector, ctx: DateContext) {
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

// ---------------------------------------------------------------------------------------------
// CSV

const COLUMN_ALIASES: Record<'title' | 'prompt' | 'start', string[]> = {
  title: ['title', 'topic', 'topic title', 'name', 'subject', 'theme'],
  prompt: ['prompt', 'description', 'question', 'questions', 'details', 'text', 'discussion prompt', 'notes'],
  start: ['start', 'start date', 'starts', 'date', 'from', 'begin', 'begins', 'week', 'week of', 'when', 'fortnight'],
};

function columnOf(header: string): 'title' | 'prompt' | 'start' | undefined {
  const h = header.replace(CONTROL, '').trim().replace(/^"|"$/g, '').replace(/\s+/g, ' ').toLowerCase();
  for (const [col, names] of Object.entries(COLUMN_ALIASES)) {
    if (names.includes(h)) return col as 'title' | 'prompt' | 'start';
  }
  return undefined;
}

/** The separator used in a header line: the most frequent of tab, `;` and `,` outside quotes. */
function detectSeparator(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  const candidates = ['\t', ';', ','];
  let best = ',';
  let most = 0;
  for (const c of candidates) {
    if (count(c) > most) {
      most = count(c);
      best = c;
    }
  }
  return best;
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/** RFC 4180 records: quoted fields may hold separators, newlines and doubled quotes. */
function readCsv(text: string, sep: string): { records: CsvRecord[]; unclosedAt?: number } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      // A quote opens a quoted field only at its start; elsewhere it is an ordinary character.
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else {
      cell += c;
    }
    i++;
  }
  if (quoted) return { records, unclosedAt: quoteLine };
  if (cell !== '' || cells.length > 0) endRecord();
  return { records };
}

function parseCsv(text: string, out: Collector, ctx: DateContext) {
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const sep = detectSeparator(firstLine);
  const { records, unclosedAt } = readCsv(text, sep);
  const header = records.shift();
  if (!header) return;
  const cols: Partial<Record<'title' | 'prompt' | 'start', number>> = {};
  header.cells.forEach((h, i) => {
    const c = columnOf(h);
    if (c && cols[c] === undefined) cols[c] = i;
  });
  if (cols.title === undefined) {
    out.error(header.line, t('import.noHeader'));
    return;
  }
  for (const r of records) {
    if (r.cells.every((c) => c.trim() === '')) continue;
    const get = (i: number | undefined) => (i === undefined ? '' : (r.cells[i] ?? ''));
    out.add({ line: r.line, title: get(cols.title), prompt: get(cols.prompt), date: dateCell(get(cols.start), ctx) });
    if (out.full) return;
  }
  if (unclosedAt !== undefined && !out.full) {
    out.error(unclosedAt, t('import.unclosedQuote'));
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

const lineAt = (text: string, offset: number) => {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

/** Offsets where each element of the JSON array opening at `open` starts, for line numbers. */
function elementOffsets(text: string, open: number): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let expect = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 1 && expect && c !== ']') {
      out.push(i);
      expect = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expect = true;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) break;
    } else if (c === ',' && depth === 1) expect = true;
  }
  return out;
}

function pick(obj: Record<string, unknown>, col: 'title' | 'prompt' | 'start'): unknown {
  for (const [k, v] of Object.entries(obj)) if (columnOf(k) === col) return v;
  return undefined;
}

function parseJson(text: string, out: Collector, ctx: DateContext) {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String((e as Error).message));
    const line = pos ? lineAt(text, Number(pos[1])) : 1;
    out.error(line, t('import.badJson'));
    return;
  }
  let list: unknown[] | undefined;
  let open = -1;
  if (Array.isArray(data)) {
    list = data;
    open = text.indexOf('[');
  } else if (data && typeof data === 'object' && Array.isArray((data as { topics?: unknown }).topics)) {
    list = (data as { topics: unknown[] }).topics;
    const m = /"topics"\s*:\s*\[/.exec(text);
    open = m ? m.index + m[0].length - 1 : -1;
  }
  if (!list) {
    out.error(0, t('import.jsonShape'));
    return;
  }
  const offsets = open >= 0 ? elementOffsets(text, open) : [];
  const lineOf = (i: number) => (offsets.length === list!.length ? lineAt(text, offsets[i]!) : 1);
  list.forEach((item, i) => {
    if (out.full) return;
    const line = lineOf(i);
    if (typeof item === 'string') {
      out.add({ line, title: item, prompt: '' });
      return;
    }
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      out.error(line, t('import.notATopic'));
      return;
    }
    const o = item as Record<string, unknown>;
    const title = pick(o, 'title');
    const prompt = pick(o, 'prompt');
    const start = pick(o, 'start');
    if (title !== undefined && title !== null && typeof title !== 'string' && typeof title !== 'number') {
      out.error(line, t('import.titleNotText'));
      return;
    }
    let date: RawRow['date'];
    if (typeof start === 'string') date = dateCell(start, ctx);
    else if (typeof start === 'number') {
      date = Number.isFinite(start) && Math.abs(start) < 8.64e15 ? { epoch: start } : { error: t('import.startNotDate') };
    } else if (start !== undefined && start !== null) date = { error: t('import.startMustBeText') };
    out.add({ line, title: title === undefined || title === null ? '' : String(title), prompt: typeof prompt === 'string' ? prompt : '', date });
  });
}

// ---------------------------------------------------------------------------------------------
// Entry point

function detectFormat(text: string): ImportFormat {
  const t = text.trimStart();
  if (t.startsWith('[') || t.startsWith('{')) return 'json';
  const first = t.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const sep = detectSeparator(first);
  const cells = first.split(sep);
  // A header naming a known column, and either a separator or a bare "title" line.
  if (cells.some((c) => columnOf(c) !== undefined) && (cells.length > 1 || columnOf(cells[0]!) === 'title')) return 'csv';
  return 'list';
}

function utf8Length(s: string): number {
  // Only exact when it matters: below a third of the bound no string can exceed it.
  if (s.length * 3 <= IMPORT_LIMITS.bytes) return s.length;
  return new TextEncoder().encode(s).length;
}

/**
 * Reads a topic schedule from pasted text, CSV or JSON (see the module comment for the
 * accepted shapes and the date rules). The format is guessed unless `options.format` is given:
 * text starting with `[` or `{` is JSON; a first line naming a known column (title, prompt,
 * start, date…) is CSV; anything else is a list with one topic per line.
 *
 * Never throws. Rows with a problem are left out and described in `errors`; at most
 * {@link IMPORT_LIMITS}.rows rows are returned, and input over 1 MB is refused as a whole.
 */
export function parseTopicSchedule(input: unknown, options: ImportOptions = {}): ImportResult {
  const errors: ImportError[] = [];
  let timeZone = options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    errors.push({ line: 0, message: t('import.unknownZone', { zone: String(timeZone) }) });
    timeZone = 'UTC';
  }
  if (typeof input !== 'string') {
    return { rows: [], errors: [...errors, { line: 0, message: t('import.nothing') }], format: 'list' };
  }
  const bytes = utf8Length(input);
  if (bytes > IMPORT_LIMITS.bytes) {
    const mb = (bytes / 1_048_576).toFixed(1);
    return { rows: [], errors: [...errors, { line: 0, message: t('import.tooBig', { mb: String(mb) }) }], format: 'list' };
  }
  const text = input.replace(/^\ufeff/, '');
  const format = options.format && options.format !== 'auto' ? options.format : detectFormat(text);
  if (text.trim() === '') {
    return { rows: [], errors: [...errors, { line: 0, message: t('import.nothing') }], format };
  }
  const ctx: DateContext = { order: options.dateOrder ?? guessOrder(text), defaultYear: options.defaultYear };
  const out = new Collector(timeZone);
  try {
    if (format === 'json') parseJson(text, out, ctx);
    else if (format === 'csv') parseCsv(text, out, ctx);
    else parseList(text, out, ctx);
  } catch (cause) {
    // A bug here must not take the import dialog down; say so instead.
    out.error(0, t('import.unreadable', { detail: String((cause as Error)?.message ?? cause) }));
  }
  return { rows: out.rows, errors: [...errors, ...out.errors], format };
}
