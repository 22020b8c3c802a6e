import { describe, expect, test } from 'vitest';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { findPassages, pageAt, pageLabel, PDF_LIMITS, PdfClipError, pdfPageUrl, type PdfJsLike } from '../../../lib/clip/pdf';
import { isPdfBytes, pageText, parsePdfDate, pdfCapture, readPdf } from '../../../lib/clip/pdf-read';
import { setLocale } from '../../../lib/i18n';
import { parseCaptured } from '../../../lib/notebook';
import { makeReportPdf, pageMarker } from '../../fixtures/make-pdf';

const lib = pdfjs as unknown as PdfJsLike;
const URL_ = 'https://library.example.mn/reports/annual-report-2024.pdf';

describe('reading a PDF with pdf.js', () => {
  test('title, author, date, page count and page-numbered text come back as written', async () => {
    const { bytes, report } = await makeReportPdf({ pages: 4 });
    const progress: number[] = [];
    const c = await readPdf(lib, bytes, { url: URL_, onProgress: (p) => progress.push(p.page) });
    expect(c.kind).toBe('pdf');
    expect(c.title).toBe(report.title);
    expect(c.byline).toBe('Batbayar Dorj');
    expect(c.publishedTime).toBe(report.created.getTime());
    expect(c.pdf?.pageCount).toBe(4);
    expect(c.pdf?.pageStarts).toHaveLength(4);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(c.siteName).toBe('library.example.mn');
    for (let n = 1; n <= 4; n++) {
      const at = c.text!.indexOf(pageMarker(n));
      expect(at).toBeGreaterThanOrEqual(0);
      expect(pageAt(c.pdf!, at)).toBe(n);
    }
    expect(c.html).toContain('<h2>Page 3</h2>');
    expect(c.truncated).toBeUndefined();
    // What the notebook stores is what was read.
    expect(parseCaptured(JSON.parse(JSON.stringify(c)))?.pdf).toEqual(c.pdf);
  });

  test('a file that is not a PDF, a damaged one and an oversized one are refused with what to do', async () => {
    await expect(readPdf(lib, new TextEncoder().encode('<html>Sign in</html>'), { url: URL_ })).rejects.toThrow(/not a PDF.*Open the PDF itself/);
    const { bytes } = await makeReportPdf({ pages: 1 });
    const broken = bytes.slice(0, 200);
    await expect(readPdf(lib, broken, { url: URL_ })).rejects.toBeInstanceOf(PdfClipError);
    const big = new Uint8Array(PDF_LIMITS.bytes + 1);
    await expect(readPdf(lib, big, { url: URL_ })).rejects.toThrow(/up to 40 MB.*link instead/);
  });

  test('the refusals are worded in the UI language', async () => {
    await setLocale('hr');
    try {
      const { bytes } = await makeReportPdf({ pages: 1 });
      await expect(readPdf(lib, bytes.slice(0, 200), { url: URL_ })).rejects.toThrow(/oštećen/);
      await expect(readPdf(lib, new Uint8Array(PDF_LIMITS.bytes + 1), { url: URL_ })).rejects.toThrow(/do 40 MB/);
    } finally {
      await setLocale('en');
    }
  });
});

describe('page-numbered text', () => {
  const c = pdfCapture({
    url: URL_,
    info: { Title: ' Report\u0000 ', Author: 'Ana Kaladžija', CreationDate: "D:20240315103000+01'00'" },
    pages: ['First page. Reading rooms opened.', 'Second page text. Vans reached villages. End.', 'Third.'],
    pageCount: 3,
  });

  test('offsets map to pages; passages carry their page', () => {
    expect(c.title).toBe('Report');
    expect(c.publishedTime).toBe(Date.UTC(2024, 2, 15, 9, 30));
    expect(pageAt(c.pdf!, 0)).toBe(1);
    expect(pageAt(c.pdf!, c.text!.indexOf('Vans'))).toBe(2);
    expect(pageAt(c.pdf!, c.text!.length - 1)).toBe(3);
    expect(findPassages(c, 'VANS  reached')).toEqual([{ text: 'Vans reached villages.', page: 2, lastPage: 2, at: c.text!.indexOf('Vans') }]);
    expect(findPassages(c, 'nothing like this')).toEqual([]);
  });

  test('a page index from a peer is checked: out of order or oversized, it is dropped and the clip kept', () => {
    const base = { kind: 'pdf', url: URL_, title: 'R', text: 'abc' };
    expect(parseCaptured({ ...base, pdf: { pageCount: 2, pageStarts: [0, 2] } })?.pdf).toEqual({ pageCount: 2, pageStarts: [0, 2] });
    expect(parseCaptured({ ...base, pdf: { pageCount: 2, pageStarts: [2, 0] } })).toMatchObject({ kind: 'pdf', title: 'R' });
    expect(parseCaptured({ ...base, pdf: { pageCount: 2, pageStarts: [2, 0] } })?.pdf).toBeUndefined();
    expect(parseCaptured({ ...base, pdf: { pageCount: 1, pageStarts: [0, 1, 2] } })?.pdf).toBeUndefined();
    expect(parseCaptured({ ...base, pdf: { pageCount: 'x' } })?.pdf).toBeUndefined();
  });

  test('APA page locators and page links', () => {
    expect(pageLabel(3)).toBe('p. 3');
    expect(pageLabel(3, 4)).toBe('pp. 3–4');
    expect(pdfPageUrl(`${URL_}#x`, 7)).toBe(`${URL_}#page=7`);
  });

  test('dates, headers and lines', () => {
    expect(parsePdfDate('D:2024')).toBe(Date.UTC(2024, 0, 1));
    expect(parsePdfDate('garbage')).toBeUndefined();
    expect(isPdfBytes(new TextEncoder().encode('%PDF-1.7\n'))).toBe(true);
    const item = (str: string, y: number, eol = true) => ({ str, hasEOL: eol, transform: [10, 0, 0, 10, 50, y], height: 10 });
    // Lines 12 apart join into a paragraph (with a hyphenated word rejoined); a 30-point gap starts a new one.
    expect(pageText([item('Reading rooms for chil-', 700), item('dren opened.', 688), item('A new paragraph.', 658)])).toBe(
      'Reading rooms for children opened.\nA new paragraph.',
    );
  });

  test('a PDF longer than the bounds is cut and says so', () => {
    const many = pdfCapture({ url: URL_, pages: Array.from({ length: PDF_LIMITS.pages + 5 }, (_, i) => `Page ${i + 1}.`), pageCount: PDF_LIMITS.pages + 5 });
    expect(many.pdf!.pageStarts).toHaveLength(PDF_LIMITS.pages);
    expect(many.truncated).toBe(true);
  });
});
