// CSV exports of a spreadsheet: the separator, the header's column names, RFC 4180 records.
import { t } from '../../i18n';
import { CONTROL } from './clean';
import type { Collector } from './collector';
import { dateCell, type DateContext } from './dates';

const COLUMN_ALIASES: Record<'title' | 'prompt' | 'start', string[]> = {
  title: ['title', 'topic', 'topic title', 'name', 'subject', 'theme'],
  prompt: ['prompt', 'description', 'question', 'questions', 'details', 'text', 'discussion prompt', 'notes'],
  start: ['start', 'start date', 'starts', 'date', 'from', 'begin', 'begins', 'week', 'week of', 'when', 'fortnight'],
};

export function columnOf(header: string): 'title' | 'prompt' | 'start' | undefined {
  const h = header.replace(CONTROL, '').trim().replace(/^"|"$/g, '').replace(/\s+/g, ' ').toLowerCase();
  for (const [col, names] of Object.entries(COLUMN_ALIASES)) {
    if (names.includes(h)) return col as 'title' | 'prompt' | 'start';
  }
  return undefined;
}

/** The separator used in a header line: the most frequent of tab, `;` and `,` outside quotes. */
export function detectSeparator(headerLine: string): string {
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

export function parseCsv(text: string, out: Collector, ctx: DateContext) {
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
