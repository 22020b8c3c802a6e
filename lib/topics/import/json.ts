// JSON: an array of topics (or `{ topics: [...] }`), with each element's line for messages.
import { t } from '../../i18n';
import type { Collector, RawRow } from './collector';
import { columnOf } from './csv';
import { dateCell, type DateContext } from './dates';

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

export function parseJson(text: string, out: Collector, ctx: DateContext) {
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
