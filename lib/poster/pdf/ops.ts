// The PDF's drawing instructions, colours and font handles, shared by measuring, layout and drawing.
import type { PDFFont } from 'pdf-lib';
/** Font files for the PDF: Noto Sans Regular and Bold TTF bytes. */
export interface PosterFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export type Color = { r: number; g: number; b: number };
export const hex = (h: string): Color => {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(h);
  return m ? { r: parseInt(m[1]!, 16) / 255, g: parseInt(m[2]!, 16) / 255, b: parseInt(m[3]!, 16) / 255 } : { r: 0, g: 0, b: 0 };
};
export const INK = hex('#1b1f24');
export const MUTED = hex('#57606a');
export const RULE = hex('#d0d7de');
export const BAND = hex('#24292f');
export const WHITE = hex('#ffffff');

/** A drawing instruction; y grows downwards from the item's (or page's) top. */
export type Op =
  | { t: 'text'; x: number; y: number; text: string; size: number; bold: boolean; italic: boolean; color: Color }
  | { t: 'rect'; x: number; y: number; w: number; h: number; color: Color }
  | { t: 'link'; x: number; y: number; w: number; h: number; href: string };

/** An unbreakable piece of the flow, placed in a column as a whole. */
export interface Item {
  h: number;
  /** Space above, dropped at the top of a column. */
  gap: number;
  /** Keep in the same column as the next item (headings, a table's header row). */
  keep?: boolean;
  ops: Op[];
}

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface Piece {
  text: string;
  bold: boolean;
  italic: boolean;
  color: Color;
  href?: string;
  w: number;
}
