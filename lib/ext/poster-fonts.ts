/**
 * The PDF's fonts, shipped inside the extension (public/fonts, SIL Open Font License beside them)
 * and fetched only when a person exports a PDF: 1.2 MB that the side panel must not load on open.
 */
import { browser } from 'wxt/browser';
import type { PosterFonts } from '../poster/pdf';
import { UserFacingError } from '../../protocol/user-error';

/** Thrown when the fonts bundled with the extension cannot be read (a damaged installation). */
export class PosterFontError extends UserFacingError {
  override name = 'PosterFontError';
}

async function fetchFont(path: '/fonts/NotoSans-Regular.ttf' | '/fonts/NotoSans-Bold.ttf'): Promise<Uint8Array> {
  try {
    const res = await fetch(browser.runtime.getURL(path));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (cause) {
    throw new PosterFontError(
      'The poster fonts that come with Partner Notebook could not be read. Reinstall or update the extension, then export again; the Markdown and print exports still work.',
      { cause },
    );
  }
}

let cached: Promise<PosterFonts> | undefined;

/** Noto Sans Regular and Bold, read once per panel session (a second export is instant). */
export function loadPosterFonts(): Promise<PosterFonts> {
  cached ??= Promise.all([fetchFont('/fonts/NotoSans-Regular.ttf'), fetchFont('/fonts/NotoSans-Bold.ttf')]).then(([regular, bold]) => ({ regular, bold }));
  // A failed read is not cached, so "try again" really tries again.
  cached.catch(() => (cached = undefined));
  return cached;
}
