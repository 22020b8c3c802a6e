/**
 * Which characters the poster PDF can draw, and what to do with the others.
 *
 * The PDF embeds Noto Sans (Latin, Cyrillic, Greek and more). Text in other scripts (Arabic,
 * Hebrew, Chinese, Japanese, Korean, Indic…) would draw as empty boxes or nothing at all, so:
 * `unsupportedCharacters` lists such strings for the UI to warn about BEFORE export, and the
 * PDF writer replaces each run with a visible "[Arabic text]"-style placeholder instead of
 * dropping it silently. Markdown and HTML keep the original text (the reader's fonts render it).
 */
import { buildPosterModel, runsText } from './model';
import type { PosterContext, PosterOutline } from '../notebook/poster/types';

/**
 * Code point ranges of Noto Sans 400/700 from @expo-google-fonts/noto-sans 0.4.2 (both weights
 * have the same set), generated from the fonts' cmap. Kept as data so the UI can check text
 * without loading ~600 KB of font; a unit test compares it with the real font files.
 */
export const NOTO_SANS_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0, 0x0],
  [0xd, 0xd],
  [0x20, 0x7e],
  [0xa0, 0x377],
  [0x37a, 0x37f],
  [0x384, 0x38a],
  [0x38c, 0x38c],
  [0x38e, 0x3a1],
  [0x3a3, 0x3e1],
  [0x3f0, 0x52f],
  [0x900, 0x97f],
  [0x10fb, 0x10fb],
  [0x1ab0, 0x1ac0],
  [0x1ac5, 0x1ac5],
  [0x1ac7, 0x1ace],
  [0x1c80, 0x1c88],
  [0x1d00, 0x1df9],
  [0x1dfb, 0x1f15],
  [0x1f18, 0x1f1d],
  [0x1f20, 0x1f45],
  [0x1f48, 0x1f4d],
  [0x1f50, 0x1f57],
  [0x1f59, 0x1f59],
  [0x1f5b, 0x1f5b],
  [0x1f5d, 0x1f5d],
  [0x1f5f, 0x1f7d],
  [0x1f80, 0x1fb4],
  [0x1fb6, 0x1fc4],
  [0x1fc6, 0x1fd3],
  [0x1fd6, 0x1fdb],
  [0x1fdd, 0x1fef],
  [0x1ff2, 0x1ff4],
  [0x1ff6, 0x1ffe],
  [0x2000, 0x2064],
  [0x2066, 0x2071],
  [0x2074, 0x208e],
  [0x2090, 0x209c],
  [0x20a0, 0x20c0],
  [0x20f0, 0x20f0],
  [0x2100, 0x215f],
  [0x2183, 0x2184],
  [0x2189, 0x2189],
  [0x2212, 0x2212],
  [0x25cc, 0x25cc],
  [0x2c60, 0x2c7f],
  [0x2de0, 0x2e5d],
  [0xa640, 0xa69f],
  [0xa700, 0xa7ca],
  [0xa7d0, 0xa7d1],
  [0xa7d3, 0xa7d3],
  [0xa7d5, 0xa7d9],
  [0xa7f2, 0xa7ff],
  [0xa8ff, 0xa8ff],
  [0xa92e, 0xa92e],
  [0xab30, 0xab6b],
  [0xfb00, 0xfb06],
  [0xfe00, 0xfe00],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0xfffc, 0xfffd],
  [0x10780, 0x10785],
  [0x10787, 0x107b0],
  [0x107b2, 0x107ba],
  [0x1df00, 0x1df1e],
];

function inFont(cp: number): boolean {
  let lo = 0;
  let hi = NOTO_SANS_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = NOTO_SANS_RANGES[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * True when the poster PDF draws this code point faithfully. Devanagari is excluded although
 * the font has its glyphs: it needs conjunct shaping and mark positioning that pdf-lib does
 * not apply, so it would print wrongly spelled rather than visibly missing.
 */
export function pdfCanRender(cp: number): boolean {
  if (cp === 0x0a || cp === 0x20) return true;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if ((cp >= 0x900 && cp <= 0x97f) || (cp >= 0xa8e0 && cp <= 0xa8ff)) return false;
  return inFont(cp);
}

const SCRIPTS: Array<[number, number, string]> = [
  [0x0530, 0x058f, 'Armenian'],
  [0x0590, 0x05ff, 'Hebrew'],
  [0xfb1d, 0xfb4f, 'Hebrew'],
  [0x0600, 0x08ff, 'Arabic'],
  [0xfb50, 0xfdff, 'Arabic'],
  [0xfe70, 0xfeff, 'Arabic'],
  [0x0700, 0x074f, 'Syriac'],
  [0x0780, 0x07bf, 'Thaana'],
  [0x0900, 0x097f, 'Devanagari'],
  [0xa8e0, 0xa8ff, 'Devanagari'],
  [0x0980, 0x09ff, 'Bengali'],
  [0x0a00, 0x0dff, 'Indic'],
  [0x0e00, 0x0e7f, 'Thai'],
  [0x0e80, 0x0eff, 'Lao'],
  [0x0f00, 0x0fff, 'Tibetan'],
  [0x1000, 0x109f, 'Myanmar'],
  [0x10a0, 0x10ff, 'Georgian'],
  [0x1100, 0x11ff, 'Korean'],
  [0x3130, 0x318f, 'Korean'],
  [0xac00, 0xd7af, 'Korean'],
  [0x1200, 0x139f, 'Ethiopic'],
  [0x1780, 0x17ff, 'Khmer'],
  [0x1800, 0x18af, 'Mongolian script'],
  [0x3040, 0x30ff, 'Japanese'],
  [0x31f0, 0x31ff, 'Japanese'],
  [0x2e80, 0x2fdf, 'Chinese'],
  [0x3000, 0x303f, 'Chinese'],
  [0x3400, 0x4dbf, 'Chinese'],
  [0x4e00, 0x9fff, 'Chinese'],
  [0xf900, 0xfaff, 'Chinese'],
  [0x20000, 0x3134f, 'Chinese'],
  [0x1f000, 0x1faff, 'Emoji'],
  [0x2600, 0x27bf, 'Symbol'],
];

/** A human name for the script of a code point the PDF cannot draw ("Arabic", "Chinese"…). */
export function scriptOf(cp: number): string {
  for (const [a, b, name] of SCRIPTS) if (cp >= a && cp <= b) return name;
  return 'Other';
}

/** A run of characters the PDF cannot draw. */
interface Gap {
  start: number;
  end: number;
  scripts: string[];
}

// Characters that glue two unsupported characters into one run ("محمد علي" is one name).
const glue = (ch: string) => /^[\s\p{M}\p{P}\u200c\u200d]$/u.test(ch);

function gaps(text: string): Gap[] {
  const chars = Array.from(text);
  const out: Gap[] = [];
  let i = 0;
  let offset = 0;
  const offsets = chars.map((c) => ((offset += c.length), offset - c.length));
  while (i < chars.length) {
    if (pdfCanRender(chars[i]!.codePointAt(0)!)) {
      i++;
      continue;
    }
    let j = i + 1;
    let lastBad = i;
    while (j < chars.length) {
      const cp = chars[j]!.codePointAt(0)!;
      if (!pdfCanRender(cp)) lastBad = j;
      else if (!glue(chars[j]!)) break;
      j++;
    }
    const run = chars.slice(i, lastBad + 1);
    const scripts = [...new Set(run.filter((c) => !pdfCanRender(c.codePointAt(0)!)).map((c) => scriptOf(c.codePointAt(0)!)))];
    // Kana with Han is Japanese, not "Chinese and Japanese".
    const named = scripts.includes('Japanese') ? scripts.filter((s) => s !== 'Chinese') : scripts;
    out.push({ start: offsets[i]!, end: offsets[lastBad]! + chars[lastBad]!.length, scripts: named });
    i = lastBad + 1;
  }
  return out;
}

/**
 * The text with every run the PDF cannot draw replaced by a visible placeholder such as
 * "[Arabic text]" or "[Chinese text]" ("[emoji]" for emoji, "[?]" for anything else).
 */
export function replaceUnsupported(text: string): string {
  const gs = gaps(text);
  if (!gs.length) return text;
  let out = '';
  let last = 0;
  for (const g of gs) {
    const label =
      g.scripts.length === 1 && g.scripts[0] === 'Emoji'
        ? '[emoji]'
        : g.scripts.length === 1 && g.scripts[0] !== 'Other' && g.scripts[0] !== 'Symbol'
          ? `[${g.scripts[0]} text]`
          : '[?]';
    out += text.slice(last, g.start) + label;
    last = g.end;
  }
  return out + text.slice(last);
}

/** A string on the poster that the PDF cannot draw in full. */
export interface UnsupportedText {
  /** Where it is, e.g. "Our libraries", "Title", "Partner names". */
  where: string;
  /** The whole string, e.g. the partner's name. */
  text: string;
  /** The characters the PDF cannot draw, in order of appearance, unique. */
  characters: string[];
  /** Their scripts, e.g. ["Arabic"]. */
  scripts: string[];
  /** How the PDF will print it. */
  replacement: string;
}

/**
 * Every string of the poster that the PDF cannot draw in full, de-duplicated, in poster order:
 * for the UI to warn before export ("Names in Arabic will print as [Arabic text]; add a Latin
 * transliteration?"). Scans exactly what the renderers draw (the render model), plus the names.
 */
export function unsupportedCharacters(outline: PosterOutline, ctx: PosterContext): UnsupportedText[] {
  const m = buildPosterModel(outline, ctx);
  const found: UnsupportedText[] = [];
  const seen = new Set<string>();
  const check = (where: string, text: string) => {
    const gs = gaps(text);
    if (!gs.length || seen.has(text)) return;
    seen.add(text);
    const characters = [...new Set(gs.flatMap((g) => Array.from(text.slice(g.start, g.end)).filter((c) => !pdfCanRender(c.codePointAt(0)!))))];
    found.push({ where, text, characters, scripts: [...new Set(gs.flatMap((g) => g.scripts))], replacement: replaceUnsupported(text) });
  };
  for (const p of m.partners) check('Partner names', p.name);
  check('Title', m.title);
  check('Subtitle', m.subtitle);
  for (const s of m.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'subheading') check(s.heading, b.text);
      else if (b.kind === 'paragraph') check(s.heading, runsText(b.runs));
      else if (b.kind === 'bullets') for (const item of b.items) check(s.heading, runsText(item));
      else if (b.kind === 'quote') check(s.heading, `${runsText(b.runs)} ${runsText(b.cite)}`.trim());
      else for (const cell of [...b.header, ...b.rows.flat()]) check(s.heading, cell);
    }
  }
  return found;
}
