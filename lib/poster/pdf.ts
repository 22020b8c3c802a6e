/**
 * The poster as a PDF, laid out by hand with pdf-lib: real, selectable text in embedded,
 * subsetted Noto Sans; a title band; sections flowing through 4 columns (48×36 in landscape)
 * or 3 (A0/A1 portrait) with word wrap measured with the font; bullet lists, quotes, the
 * comparison table; clickable links in Sources and Contacts.
 *
 * Fitting: the body text is set at the largest of a few steps between 160 % and 70 % of the
 * size the poster width calls for (see baseFontSize) at which everything fits one page. If it still does not fit, the
 * columns continue on further pages (same size, a small "continued" header, page numbers):
 * nothing is ever cut off. Text the font cannot draw is replaced by a visible placeholder
 * ("[Arabic text]"), see coverage.ts; call `unsupportedCharacters` first to warn the user.
 *
 * Fonts are a parameter (bytes) so the extension can fetch them lazily from its own package and
 * tests can read them from disk; nothing here touches the network or the file system.
 */
import { t } from '../i18n';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFString, type PDFFont, type PDFPage, degrees, rgb } from 'pdf-lib';
import { replaceUnsupported } from './coverage';
import { padTrueTypeGlyphs } from './font-fix';
import { type Block, type ModelSection, type PosterModel, type Run, buildPosterModel } from './model';
import { POSTER_SIZES, baseFontSize } from './html';
import type { PosterContext, PosterOutline, PosterRenderOptions } from './types';

/** Font files for the PDF: Noto Sans Regular and Bold TTF bytes. */
export interface PosterFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** Options of {@link posterPdf}. */
export interface PosterPdfOptions extends PosterRenderOptions {
  fonts: PosterFonts;
  /** Creation date (epoch ms) written into the metadata; defaults to the current time. */
  now?: number;
}

type Color = { r: number; g: number; b: number };
const hex = (h: string): Color => {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(h);
  return m ? { r: parseInt(m[1]!, 16) / 255, g: parseInt(m[2]!, 16) / 255, b: parseInt(m[3]!, 16) / 255 } : { r: 0, g: 0, b: 0 };
};
const INK = hex('#1b1f24');
const MUTED = hex('#57606a');
const RULE = hex('#d0d7de');
const BAND = hex('#24292f');
const WHITE = hex('#ffffff');

/** A drawing instruction; y grows downwards from the item's (or page's) top. */
type Op =
  | { t: 'text'; x: number; y: number; text: string; size: number; bold: boolean; italic: boolean; color: Color }
  | { t: 'rect'; x: number; y: number; w: number; h: number; color: Color }
  | { t: 'link'; x: number; y: number; w: number; h: number; href: string };

/** An unbreakable piece of the flow, placed in a column as a whole. */
interface Item {
  h: number;
  /** Space above, dropped at the top of a column. */
  gap: number;
  /** Keep in the same column as the next item (headings, a table's header row). */
  keep?: boolean;
  ops: Op[];
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

interface Piece {
  text: string;
  bold: boolean;
  italic: boolean;
  color: Color;
  href?: string;
  w: number;
}

/**
 * Character advance widths at 1 pt, per font file, shared across exports. Measuring through
 * fontkit's layout costs about 0.1 ms a call (half a second for a 100-clip poster); summing
 * per-character advances is the same number here because pdf-lib draws glyphs at their advance
 * widths without kerning and we turn ligatures off (a unit test compares the two).
 */
const widthCache = new WeakMap<Uint8Array, Map<string, number>>();

/** Measures text with the embedded fonts. */
class Measurer {
  private regular: Map<string, number>;
  private bold: Map<string, number>;
  constructor(
    private fonts: Fonts,
    files: PosterFonts,
  ) {
    const get = (f: Uint8Array) => widthCache.get(f) ?? (widthCache.set(f, new Map()), widthCache.get(f)!);
    this.regular = get(files.regular);
    this.bold = get(files.bold);
  }
  width(text: string, bold: boolean, size: number): number {
    const cache = bold ? this.bold : this.regular;
    let w = 0;
    for (const ch of text) {
      let cw = cache.get(ch);
      if (cw === undefined) {
        cw = (bold ? this.fonts.bold : this.fonts.regular).widthOfTextAtSize(ch, 1);
        cache.set(ch, cw);
      }
      w += cw;
    }
    return w * size;
  }
}

interface TextStyle {
  size: number;
  color: Color;
  bold?: boolean;
}

/**
 * Greedy word wrap of styled runs into lines of pieces. Breaks only at whitespace; a word wider
 * than the line (a long URL) is cut between characters.
 */
function wrap(runs: Run[], width: number, style: TextStyle, m: Measurer, firstIndent = 0, restIndent = 0): Piece[][] {
  // Chunks: whitespace-free sequences, possibly spanning runs ("(Kaladžija, 2026)" is styled in pieces).
  type Chunk = Piece[];
  const chunks: Chunk[] = [];
  let current: Chunk = [];
  for (const r of runs) {
    const bold = !!(r.bold || style.bold);
    const italic = !!r.italic;
    const color = r.muted ? MUTED : style.color;
    for (const tok of r.text.split(/(\s+)/)) {
      if (!tok) continue;
      if (/^\s+$/.test(tok)) {
        if (current.length) chunks.push(current);
        current = [];
        continue;
      }
      current.push({ text: tok, bold, italic, color, ...(r.href ? { href: r.href } : {}), w: m.width(tok, bold, style.size) });
    }
  }
  if (current.length) chunks.push(current);

  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let x = firstIndent;
  const spaceW = (bold: boolean) => m.width(' ', bold, style.size);
  const sum = (c: Piece[]) => c.reduce((n, p) => n + p.w, 0);
  const pushLine = () => {
    lines.push(line);
    line = [];
    x = restIndent;
  };
  for (let chunk of chunks) {
    let cw = sum(chunk);
    const sp = spaceW(chunk[0]!.bold);
    if (line.length && x + sp + cw > width) pushLine();
    if (line.length) {
      line.push({ ...chunk[0]!, text: ' ', w: sp });
      x += sp;
    }
    // A chunk wider than a whole line (a long URL) is cut between characters.
    while (chunk.length && x + cw > width + 0.01) {
      const room = width - x;
      const head: Piece[] = [];
      const rest: Piece[] = [];
      let used = 0;
      for (let i = 0; i < chunk.length; i++) {
        const p = chunk[i]!;
        if (used + p.w <= room) {
          head.push(p);
          used += p.w;
          continue;
        }
        const chars = Array.from(p.text);
        let k = 0;
        let pw = 0;
        for (; k < chars.length; k++) {
          const w1 = m.width(chars[k]!, p.bold, style.size);
          if (used + pw + w1 > room) break;
          pw += w1;
        }
        // Nothing fits on an empty line: place one character anyway so the loop always progresses.
        if (k === 0 && !head.length && !line.length) {
          k = 1;
          pw = m.width(chars[0]!, p.bold, style.size);
        }
        if (k > 0) head.push({ ...p, text: chars.slice(0, k).join(''), w: pw });
        const tail = chars.slice(k).join('');
        if (tail) rest.push({ ...p, text: tail, w: m.width(tail, p.bold, style.size) });
        rest.push(...chunk.slice(i + 1));
        break;
      }
      line.push(...head);
      pushLine();
      chunk = rest;
      cw = sum(chunk);
    }
    if (chunk.length) {
      line.push(...chunk);
      x += cw;
    }
  }
  if (line.length) lines.push(line);
  return lines;
}

/** Ops for one wrapped line at (x, baseline y): same-style neighbours merged into one text op. */
function lineOps(pieces: Piece[], x: number, baseline: number, size: number): Op[] {
  const ops: Op[] = [];
  let cx = x;
  let prev: Extract<Op, { t: 'text' }> | undefined;
  let prevHref: string | undefined;
  for (const p of pieces) {
    if (prev && prev.bold === p.bold && prev.italic === p.italic && prev.color === p.color) prev.text += p.text;
    else {
      prev = { t: 'text', x: cx, y: baseline, text: p.text, size, bold: p.bold, italic: p.italic, color: p.color };
      ops.push(prev);
    }
    if (p.href && p.text.trim()) {
      const last = ops[ops.length - 1];
      // Extend the previous link box when the same link continues on this line.
      if (last?.t === 'link' && prevHref === p.href && Math.abs(last.x + last.w - cx) < 0.5) last.w += p.w;
      else ops.push({ t: 'link', x: cx, y: baseline - size * 0.95, w: p.w, h: size * 1.25, href: p.href });
      prevHref = p.href;
      prev = undefined; // keep text ops ordered around link boxes
    }
    cx += p.w;
  }
  return ops;
}

interface Scale {
  base: number;
  colW: number;
  accents: string[];
}

/** Items of a paragraph: one per line, so long paragraphs can continue in the next column. */
function paragraphItems(runs: Run[], s: Scale, m: Measurer, style: Partial<TextStyle> = {}, indent = 0, hanging = 0, gap?: number): Item[] {
  const size = style.size ?? s.base;
  const lh = size * 1.32;
  const lines = wrap(runs, s.colW - indent, { size, color: style.color ?? INK, ...(style.bold ? { bold: true } : {}) }, m, 0, hanging);
  return lines.map((l, i) => ({
    h: lh,
    gap: i === 0 ? (gap ?? s.base * 0.45) : 0,
    // Do not leave a single first line at the bottom of a column (no orphans).
    keep: i === 0 && lines.length > 1,
    ops: lineOps(l, indent + (i === 0 ? 0 : hanging), size * 1.0, size),
  }));
}

function blockItems(b: Block, s: Scale, m: Measurer, accent: string): Item[] {
  const base = s.base;
  switch (b.kind) {
    case 'subheading': {
      const items = paragraphItems([{ text: b.text }], s, m, { size: base * 1.2, bold: true, color: hex(b.color ?? '#24292f') }, 0, 0, base * 0.7);
      items[items.length - 1]!.keep = true;
      return items;
    }
    case 'paragraph':
      return paragraphItems(b.runs, s, m);
    case 'bullets': {
      const out: Item[] = [];
      const indent = base * 1.1;
      b.items.forEach((runs, idx) => {
        if (b.plain) {
          // References and contact lines: hanging indent instead of bullets (APA reference list style).
          out.push(...paragraphItems(runs, s, m, {}, 0, indent, idx === 0 ? base * 0.45 : base * 0.25));
        } else {
          const items = paragraphItems(runs, s, m, {}, indent, 0, idx === 0 ? base * 0.45 : base * 0.2);
          items[0]!.ops.unshift({ t: 'text', x: base * 0.25, y: base, text: '•', size: base, bold: true, italic: false, color: hex(accent) });
          out.push(...items);
        }
      });
      return out;
    }
    case 'quote': {
      const indent = base * 0.9;
      const runs: Run[] = [...b.runs, ...(b.cite.length ? [{ text: ' — ', muted: true }, ...b.cite.map((r) => ({ ...r, muted: true }))] : [])];
      const items = paragraphItems(runs, s, m, {}, indent, 0, base * 0.6);
      for (const it of items) it.ops.unshift({ t: 'rect', x: 0, y: 0, w: base * 0.22, h: it.h, color: hex(accent) });
      return items;
    }
    case 'table': {
      const size = base * 0.9;
      const lh = size * 1.3;
      const pad = size * 0.3;
      const n = b.header.length;
      const labelW = n > 1 ? s.colW * (n > 3 ? 0.28 : 0.34) : s.colW;
      const cellW = n > 1 ? (s.colW - labelW) / (n - 1) : 0;
      const colX = (i: number) => (i === 0 ? 0 : labelW + (i - 1) * cellW);
      const colW = (i: number) => (i === 0 ? labelW : cellW);
      const row = (cells: string[], header: boolean): Item => {
        const wrapped = cells.map((c, i) =>
          wrap([{ text: c }], colW(i) - 2 * pad, { size, color: header ? hex(b.headerColors[i] || '#24292f') : i === 0 ? MUTED : INK, bold: header }, m),
        );
        const lines = Math.max(1, ...wrapped.map((w) => w.length));
        const h = lines * lh + 2 * pad;
        const ops: Op[] = [];
        wrapped.forEach((ls, i) => ls.forEach((l, k) => ops.push(...lineOps(l, colX(i) + pad, pad + k * lh + size, size))));
        ops.push({
          t: 'rect',
          x: 0,
          y: h - (header ? base * 0.12 : base * 0.05),
          w: s.colW,
          h: header ? base * 0.12 : base * 0.05,
          color: header ? MUTED : RULE,
        });
        return { h, gap: header ? base * 0.5 : 0, keep: header, ops };
      };
      return [row(b.header, true), ...b.rows.map((r) => row(r, false))];
    }
  }
}

function sectionItems(sec: ModelSection, idx: number, s: Scale, m: Measurer): Item[] {
  const accent = s.accents[idx % s.accents.length] ?? '#24292f';
  const size = s.base * 1.7;
  const head = paragraphItems([{ text: sec.heading }], s, m, { size, bold: true }, 0, 0, s.base * 1.4);
  const last = head[head.length - 1]!;
  last.h += s.base * 0.5;
  last.ops.push({ t: 'rect', x: 0, y: last.h - s.base * 0.45, w: s.colW, h: s.base * 0.2, color: hex(accent) });
  last.keep = true;
  const body = sec.blocks.flatMap((b) => blockItems(b, s, m, accent));
  return [...head, ...body];
}

interface Layout {
  pages: Op[][];
  fits: boolean;
}

/** Lays the model out at one body size. */
function layout(model: PosterModel, W: number, H: number, columns: number, base: number, m: Measurer): Layout {
  const margin = baseFontSize(W) * 1.6;
  const gutter = base * 2;
  const colW = (W - 2 * margin - (columns - 1) * gutter) / columns;
  const s: Scale = { base, colW, accents: model.partners.map((p) => p.color) };
  const pages: Op[][] = [];

  // Title band and partner stripe (first page), at the poster's full size: they never shrink.
  const tb = baseFontSize(W);
  const bandW = W - 2 * margin;
  const pad = tb * 1.2;
  const titleSize = tb * 4.2;
  const subSize = tb * 1.9;
  const titleLines = wrap([{ text: model.title }], bandW - 2 * pad, { size: titleSize, color: WHITE, bold: true }, m);
  const subLines = model.subtitle ? wrap([{ text: model.subtitle }], bandW - 2 * pad, { size: subSize, color: WHITE }, m) : [];
  const bandH = pad * 2 + titleLines.length * titleSize * 1.12 + (subLines.length ? tb * 0.4 + subLines.length * subSize * 1.3 : 0);
  const first: Op[] = [{ t: 'rect', x: margin, y: margin, w: bandW, h: bandH, color: BAND }];
  let y = margin + pad;
  for (const l of titleLines) {
    first.push(...lineOps(l, margin + pad, y + titleSize * 0.92, titleSize));
    y += titleSize * 1.12;
  }
  y += tb * 0.4;
  for (const l of subLines) {
    first.push(...lineOps(l, margin + pad, y + subSize * 0.95, subSize));
    y += subSize * 1.3;
  }
  const stripeTop = margin + bandH + tb * 0.8;
  const n = Math.max(1, model.partners.length);
  const stripeGap = tb;
  const stripeW = (bandW - (n - 1) * stripeGap) / n;
  let stripeH = 0;
  model.partners.forEach((p, i) => {
    const x = margin + i * (stripeW + stripeGap);
    first.push({ t: 'rect', x, y: stripeTop, w: stripeW, h: tb * 0.4, color: hex(p.color) });
    const ns = tb * 1.8;
    const lines = wrap([{ text: p.name }], stripeW, { size: ns, color: INK, bold: true }, m);
    lines.forEach((l, k) => first.push(...lineOps(l, x, stripeTop + tb * 0.6 + ns * 1.2 * k + ns, ns)));
    stripeH = Math.max(stripeH, tb * 0.7 + lines.length * ns * 1.25);
  });
  const firstTop = stripeTop + stripeH + tb * 1.2;
  const contTop = margin + tb * 3;
  const bottom = H - margin - tb * 1.2;
  pages.push(first);

  const items = model.sections.flatMap((sec, i) => sectionItems(sec, i, s, m));
  let col = 0;
  let top = firstTop;
  y = top;
  const newPage = () => {
    const ops: Op[] = [];
    const t = `${model.title} (continued)`;
    const l = wrap([{ text: t }], bandW, { size: tb * 1.2, color: MUTED, bold: true }, m)[0] ?? [];
    ops.push(...lineOps(l, margin, margin + tb * 1.2, tb * 1.2));
    ops.push({ t: 'rect', x: margin, y: margin + tb * 1.8, w: bandW, h: tb * 0.15, color: RULE });
    pages.push(ops);
  };
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    let need = (y === top ? 0 : it.gap) + it.h;
    // Keep chains (heading + first lines) together; bounded so a huge chain cannot loop forever.
    for (let k = i; items[k]?.keep && items[k + 1] && k < i + 6; k++) need += items[k + 1]!.gap + items[k + 1]!.h;
    if (y + need > bottom && y > top) {
      col++;
      if (col >= columns) {
        col = 0;
        newPage();
        top = contTop;
      }
      y = top;
    }
    if (y !== top) y += it.gap;
    const x = margin + col * (colW + gutter);
    const page = pages[pages.length - 1]!;
    for (const op of it.ops) page.push({ ...op, x: op.x + x, y: op.y + y } as Op);
    y += it.h;
  }
  // Thin rules between columns on every page, as in a printed poster.
  pages.forEach((ops, p) => {
    const t = p === 0 ? firstTop : contTop;
    for (let c = 1; c < columns; c++) ops.unshift({ t: 'rect', x: margin + c * (colW + gutter) - gutter / 2 - 0.5, y: t, w: 1, h: bottom - t, color: RULE });
  });
  if (pages.length > 1) {
    pages.forEach((ops, p) => {
      const label = `Page ${p + 1} of ${pages.length}`;
      const w = m.width(label, false, tb * 0.8);
      ops.push({ t: 'text', x: W - margin - w, y: H - margin * 0.6, text: label, size: tb * 0.8, bold: false, italic: false, color: MUTED });
    });
  }
  return { pages, fits: pages.length === 1 };
}

/** Percent-encodes anything but URL-safe ASCII, so a link is a plain ASCII PDF string. */
function asciiUri(href: string): string {
  return href.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'*+,;=%]/g, (c) =>
    encodeURIComponent(c).replace(/[()']/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

function draw(page: PDFPage, ops: Op[], fonts: Fonts, H: number): void {
  for (const op of ops) {
    if (op.t === 'rect') {
      page.drawRectangle({ x: op.x, y: H - op.y - op.h, width: op.w, height: op.h, color: rgb(op.color.r, op.color.g, op.color.b) });
    } else if (op.t === 'text') {
      if (!op.text.trim()) continue;
      page.drawText(op.text, {
        x: op.x,
        y: H - op.y,
        size: op.size,
        font: op.bold ? fonts.bold : fonts.regular,
        color: rgb(op.color.r, op.color.g, op.color.b),
        // Synthetic oblique for APA's italic titles: the export embeds no italic face (size matters on slow links).
        ...(op.italic ? { ySkew: degrees(12) } : {}),
      });
    } else {
      const ctx = page.doc.context;
      const annot = ctx.register(
        ctx.obj({
          Type: 'Annot',
          Subtype: 'Link',
          Rect: [op.x, H - op.y - op.h, op.x + op.w, H - op.y],
          Border: [0, 0, 0],
          A: { Type: 'Action', S: 'URI', URI: PDFString.of(asciiUri(op.href)) },
        }),
      );
      page.node.addAnnot(annot);
    }
  }
}

/** Replaces every text the font cannot draw with a visible placeholder (see coverage.ts). */
function drawableModel(m: PosterModel): PosterModel {
  const r = (t: string) => replaceUnsupported(t);
  const runs = (rs: Run[]) => rs.map((x) => ({ ...x, text: r(x.text) }));
  return {
    title: r(m.title),
    subtitle: r(m.subtitle),
    partners: m.partners.map((p) => ({ ...p, name: r(p.name) })),
    sections: m.sections.map((s) => ({
      ...s,
      heading: r(s.heading),
      blocks: s.blocks.map((b): Block => {
        switch (b.kind) {
          case 'subheading':
            return { ...b, text: r(b.text) };
          case 'paragraph':
            return { ...b, runs: runs(b.runs) };
          case 'bullets':
            return { ...b, items: b.items.map(runs) };
          case 'quote':
            return { ...b, runs: runs(b.runs), cite: runs(b.cite) };
          case 'table':
            return { ...b, header: b.header.map(r), rows: b.rows.map((row) => row.map(r)) };
        }
      }),
    })),
  };
}

/**
 * Body-size steps tried, largest first; the first that fits one page wins. Above 1: a poster
 * with little text grows its text to fill the columns instead of leaving half the page empty.
 */
const FIT_STEPS = [1.6, 1.45, 1.3, 1.15, 1, 0.92, 0.85, 0.78, 0.7];

/**
 * The poster as PDF bytes: a page of the chosen size (48×36 in = 3456×2592 pt; A0 and A1
 * portrait), with Noto Sans Regular and Bold embedded as subsets, real selectable text,
 * clickable links, and metadata (title, author = the partners, creator "Partner Notebook").
 * Body text grows up to 160 % to fill the page or shrinks down to 70 % to fit it; content that
 * still does not fit continues on further pages (never cut off).
 */
export async function posterPdf(outline: PosterOutline, ctx: PosterContext, opts: PosterPdfOptions): Promise<Uint8Array> {
  const size = POSTER_SIZES[opts.size] ?? POSTER_SIZES['48x36in-landscape'];
  const original = buildPosterModel(outline, ctx);
  const model = drawableModel(original);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Ligatures off: with them, "fi"/"ffi" become single glyphs and copied or searched text breaks
  // in some viewers ("Difficulties" must be findable in the PDF). Kerning and mark positioning
  // off: pdf-lib draws glyphs at their advance widths and ignores GPOS positions anyway, and
  // skipping those lookups makes the export about three times faster.
  const features = { liga: false, clig: false, dlig: false, kern: false, mark: false, mkmk: false };
  const fonts: Fonts = {
    // padTrueTypeGlyphs: without it fontkit's subsetter corrupts most Noto Sans glyphs (see font-fix.ts).
    regular: await doc.embedFont(padTrueTypeGlyphs(opts.fonts.regular), { subset: true, features }),
    bold: await doc.embedFont(padTrueTypeGlyphs(opts.fonts.bold), { subset: true, features }),
  };
  const m = new Measurer(fonts, opts.fonts);
  const full = baseFontSize(size.widthPt);
  let result: Layout | undefined;
  for (const step of FIT_STEPS) {
    result = layout(model, size.widthPt, size.heightPt, size.columns, full * step, m);
    if (result.fits) break;
  }
  for (const ops of result!.pages) {
    const page = doc.addPage([size.widthPt, size.heightPt]);
    draw(page, ops, fonts, size.heightPt);
  }
  const now = new Date(opts.now ?? Date.now());
  // Metadata strings are UTF-16 in the PDF: the original names, not the placeholders.
  doc.setTitle(original.title, { showInWindowTitleBar: true });
  doc.setAuthor(original.partners.map((p) => p.name).join(', '));
  if (ctx.info?.programmeName) doc.setSubject((ctx.t ?? t)('poster.pdfSubject', { programme: ctx.info.programmeName }));
  doc.setKeywords(['poster', 'library', 'mentoring']);
  doc.setCreator('Partner Notebook');
  doc.setProducer('Partner Notebook (pdf-lib)');
  doc.setLanguage((ctx.t ?? t)('meta.locale'));
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  return doc.save();
}
