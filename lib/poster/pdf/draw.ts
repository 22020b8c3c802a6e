// Drawing laid-out instructions onto a pdf-lib page: rectangles, text, and link annotations.
import { PDFString, type PDFPage, degrees, rgb } from 'pdf-lib';
import type { Fonts, Op } from './ops';

/** Percent-encodes anything but URL-safe ASCII, so a link is a plain ASCII PDF string. */
function asciiUri(href: string): string {
  return href.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'*+,;=%]/g, (c) =>
    encodeURIComponent(c).replace(/[()']/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

export function draw(page: PDFPage, ops: Op[], fonts: Fonts, H: number): void {
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
