// Measuring text with the embedded fonts, word wrap into lines, and a line's drawing instructions.
import type { Run } from '../model';
import { MUTED, type Color, type Fonts, type Op, type Piece, type PosterFonts } from './ops';

/**
 * Character advance widths at 1 pt, per font file, shared across exports. Measuring through
 * fontkit's layout costs about 0.1 ms a call (half a second for a 100-clip poster); summing
 * per-character advances is the same number here because pdf-lib draws glyphs at their advance
 * widths without kerning and we turn ligatures off (a unit test compares the two).
 */
const widthCache = new WeakMap<Uint8Array, Map<string, number>>();

/** Measures text with the embedded fonts. */
export class Measurer {
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

export interface TextStyle {
  size: number;
  color: Color;
  bold?: boolean;
}

/**
 * Greedy word wrap of styled runs into lines of pieces. Breaks only at whitespace; a word wider
 * than the line (a long URL) is cut between characters.
 */
export function wrap(runs: Run[], width: number, style: TextStyle, m: Measurer, firstIndent = 0, restIndent = 0): Piece[][] {
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
export function lineOps(pieces: Piece[], x: number, baseline: number, size: number): Op[] {
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
