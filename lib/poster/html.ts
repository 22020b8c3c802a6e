/**
 * The poster as one self-contained, print-ready HTML document: inline CSS only, no scripts, no
 * remote resources (a Content-Security-Policy meta tag forbids them as a second line of
 * defence), every text HTML-escaped and every link http(s) or mailto. The side panel can show
 * it in a sandboxed iframe (`srcdoc`) as a live preview, and a browser can print it to PDF.
 */
import { currentLocale } from '../i18n';
import { escapeHtml } from './format';
import { type Block, type Run, buildPosterModel } from './model';
import type { PosterContext, PosterOutline, PosterRenderOptions, PosterSize } from './types';

/** Physical size and column count of each poster size. */
export const POSTER_SIZES: Record<PosterSize, { width: string; height: string; widthPt: number; heightPt: number; columns: number }> = {
  '48x36in-landscape': { width: '48in', height: '36in', widthPt: 48 * 72, heightPt: 36 * 72, columns: 4 },
  'A0-portrait': { width: '841mm', height: '1189mm', widthPt: (841 / 25.4) * 72, heightPt: (1189 / 25.4) * 72, columns: 3 },
  'A1-portrait': { width: '594mm', height: '841mm', widthPt: (594 / 25.4) * 72, heightPt: (841 / 25.4) * 72, columns: 3 },
};

/**
 * Body text size in points for a poster width: about 150 characters-widths across the page,
 * so text stays readable at poster distance on every size (23 pt on 48 in, 16 pt on A0).
 */
export function baseFontSize(widthPt: number): number {
  return Math.round((widthPt / 150) * 10) / 10;
}

function runHtml(r: Run): string {
  let s = escapeHtml(r.text);
  if (r.bold) s = `<b>${s}</b>`;
  if (r.italic) s = `<i>${s}</i>`;
  if (r.muted) s = `<span class="muted">${s}</span>`;
  // Hrefs come only from safeHttpUrl or a checked e-mail address (model.ts); escape anyway.
  if (r.href && /^(https?:|mailto:)/i.test(r.href)) s = `<a href="${escapeHtml(r.href)}">${s}</a>`;
  return s;
}

const runsHtml = (runs: Run[]) => runs.map(runHtml).join('');
const colorStyle = (c: string | undefined) => (c && /^#[0-9a-f]{6}$/i.test(c) ? ` style="color:${c}"` : '');

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'subheading':
      return `<h3${colorStyle(b.color)}>${escapeHtml(b.text)}</h3>`;
    case 'paragraph':
      return `<p>${runsHtml(b.runs)}</p>`;
    case 'bullets':
      return `<ul${b.plain ? ' class="plain"' : ''}>${b.items.map((i) => `<li>${runsHtml(i)}</li>`).join('')}</ul>`;
    case 'quote':
      return `<blockquote><p>${runsHtml(b.runs)}</p>${b.cite.length ? `<footer>${runsHtml(b.cite)}</footer>` : ''}</blockquote>`;
    case 'table': {
      const head = b.header.map((h, i) => `<th scope="col"${colorStyle(b.headerColors[i])}>${escapeHtml(h)}</th>`).join('');
      const rows = b.rows
        .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`)
        .join('');
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
  }
}

/**
 * A complete HTML document of the poster at the given size: `@page` sized to the poster, a
 * title band striped with the partners' colours, and the sections flowing through 4 columns
 * (48×36 in landscape) or 3 (A0/A1 portrait). Content longer than the page continues on a
 * further page when printed.
 */
export function posterHtml(outline: PosterOutline, ctx: PosterContext, opts: PosterRenderOptions): string {
  const m = buildPosterModel(outline, ctx);
  const size = POSTER_SIZES[opts.size] ?? POSTER_SIZES['48x36in-landscape'];
  const base = baseFontSize(size.widthPt);
  const accents = m.partners.length ? m.partners.map((p) => p.color) : ['#1f6feb'];
  const stripes = m.partners
    .map((p) => `<div class="partner" style="border-top-color:${p.color}"><span class="dot" style="background:${p.color}"></span>${escapeHtml(p.name)}</div>`)
    .join('');
  const sections = m.sections
    .map(
      (s, i) =>
        `<section id="${s.id}" style="--accent:${accents[i % accents.length]}"><h2>${escapeHtml(s.heading)}</h2>${s.blocks.map(blockHtml).join('')}</section>`,
    )
    .join('\n');
  const css = `
@page { size: ${size.width} ${size.height}; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; font-size: ${base}pt; line-height: 1.35; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.poster { width: ${size.width}; min-height: ${size.height}; padding: ${(base * 1.6).toFixed(1)}pt; }
header.band { background: #24292f; color: #fff; padding: ${(base * 1.2).toFixed(1)}pt ${(base * 1.6).toFixed(1)}pt; border-radius: ${(base * 0.5).toFixed(1)}pt; }
header.band h1 { font-size: ${(base * 4.2).toFixed(1)}pt; line-height: 1.1; margin: 0; font-weight: 700; }
header.band .subtitle { font-size: ${(base * 1.9).toFixed(1)}pt; margin: ${(base * 0.4).toFixed(1)}pt 0 0; }
.partners { display: flex; gap: ${base}pt; margin: ${(base * 0.8).toFixed(1)}pt 0 ${(base * 1.2).toFixed(1)}pt; }
.partner { flex: 1; border-top: ${(base * 0.4).toFixed(1)}pt solid; padding-top: ${(base * 0.3).toFixed(1)}pt; font-weight: 700; font-size: ${(base * 1.8).toFixed(1)}pt; }
.dot { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 0.4em; vertical-align: baseline; }
.columns { column-count: ${size.columns}; column-gap: ${(base * 2).toFixed(1)}pt; column-rule: 1px solid #d8dee4; }
section { --accent: #24292f; margin: 0 0 ${(base * 1.2).toFixed(1)}pt; }
h2 { font-size: ${(base * 1.7).toFixed(1)}pt; margin: 0 0 ${(base * 0.4).toFixed(1)}pt; padding-bottom: ${(base * 0.2).toFixed(1)}pt; border-bottom: ${(base * 0.2).toFixed(1)}pt solid var(--accent); break-after: avoid; }
h3 { font-size: ${(base * 1.2).toFixed(1)}pt; margin: ${(base * 0.6).toFixed(1)}pt 0 ${(base * 0.2).toFixed(1)}pt; break-after: avoid; }
p { margin: 0 0 ${(base * 0.5).toFixed(1)}pt; }
ul { margin: 0 0 ${(base * 0.5).toFixed(1)}pt; padding-left: 1.2em; }
ul.plain { list-style: none; padding-left: 1.5em; }
ul.plain li { text-indent: -1.5em; }
li { margin-bottom: ${(base * 0.2).toFixed(1)}pt; break-inside: avoid; }
blockquote { margin: 0 0 ${(base * 0.5).toFixed(1)}pt; padding-left: ${(base * 0.7).toFixed(1)}pt; border-left: ${(base * 0.25).toFixed(1)}pt solid var(--accent); break-inside: avoid; }
blockquote p { margin: 0; }
blockquote footer { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: 0 0 ${(base * 0.6).toFixed(1)}pt; break-inside: avoid; font-size: ${(base * 0.9).toFixed(1)}pt; }
th, td { text-align: left; vertical-align: top; padding: ${(base * 0.2).toFixed(1)}pt ${(base * 0.3).toFixed(1)}pt; border-bottom: 1px solid #d8dee4; }
thead th { border-bottom: 2px solid #57606a; }
tbody th { font-weight: 400; color: #57606a; }
a { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }
.muted { color: #6e7781; }
@media screen { body { background: #eaeef2; } .poster { background: #fff; margin: 0 auto; box-shadow: 0 0 8px rgba(0,0,0,.2); } }
`.trim();
  return `<!doctype html>
<html lang="${ctx.t?.('meta.locale') ?? currentLocale()}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.title)}</title>
<style>
${css}
</style>
</head>
<body>
<main class="poster">
<header class="band"><h1>${escapeHtml(m.title)}</h1>${m.subtitle ? `<p class="subtitle">${escapeHtml(m.subtitle)}</p>` : ''}</header>
<div class="partners">${stripes}</div>
<div class="columns">
${sections}
</div>
</main>
</body>
</html>
`;
}
