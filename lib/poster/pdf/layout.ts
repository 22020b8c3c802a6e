// Laying the poster model out at one body size: title band, partner stripe, sections flowing through columns and pages.
import { baseFontSize } from '../html';
import type { Block, ModelSection, PosterModel, Run } from '../model';
import { lineOps, wrap, type Measurer, type TextStyle } from './measure';
import { BAND, hex, INK, MUTED, RULE, WHITE, type Item, type Op } from './ops';

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

export interface Layout {
  pages: Op[][];
  fits: boolean;
}

/** Lays the model out at one body size. */
export function layout(model: PosterModel, W: number, H: number, columns: number, base: number, m: Measurer): Layout {
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
