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
import { t } from '../../i18n';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { replaceUnsupported } from '../coverage';
import { padTrueTypeGlyphs } from '../font-fix';
import { type Block, type PosterModel, type Run, buildPosterModel } from '../model';
import { POSTER_SIZES, baseFontSize } from '../html';
import type { PosterContext, PosterRenderOptions, PosterOutline } from '../types';
import { draw } from './draw';
import { layout, type Layout } from './layout';
import { Measurer } from './measure';
import type { Fonts, PosterFonts } from './ops';

export type { PosterFonts } from './ops';

/** Options of {@link posterPdf}. */
export interface PosterPdfOptions extends PosterRenderOptions {
  fonts: PosterFonts;
  /** Creation date (epoch ms) written into the metadata; defaults to the current time. */
  now?: number;
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
