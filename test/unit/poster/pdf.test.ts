import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { NOTO_SANS_RANGES, pdfCanRender, replaceUnsupported, unsupportedCharacters } from '../../../lib/poster/coverage';
import { padTrueTypeGlyphs } from '../../../lib/poster/font-fix';
import { SECTION_HEADINGS } from '../../../lib/poster/model';
import { posterPdf } from '../../../lib/poster/pdf';
import { makeCaptured } from '../factories';
import { CLIPS, CTX, PARTNERS, makeClip, seededOutline } from './fixtures';

const FONT_DIR = 'node_modules/@expo-google-fonts/noto-sans/';
const fonts = {
  regular: new Uint8Array(readFileSync(`${FONT_DIR}400Regular/NotoSans_400Regular.ttf`)),
  bold: new Uint8Array(readFileSync(`${FONT_DIR}700Bold/NotoSans_700Bold.ttf`)),
};
const OUT = 'test-results';
mkdirSync(OUT, { recursive: true });

const text = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** URIs of all link annotations in a PDF. */
async function linkUris(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const uris: string[] = [];
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const a = annots!.lookup(i, PDFDict);
      const uri = a.lookup(PDFName.of('A'), PDFDict).lookup(PDFName.of('URI'));
      if (uri instanceof PDFString) uris.push(uri.decodeText());
    }
  }
  return uris;
}

describe('posterPdf for the seeded notebook', () => {
  const file = `${OUT}/poster-unit.pdf`;
  let bytes: Uint8Array;

  beforeAll(async () => {
    bytes = await posterPdf(seededOutline(), CTX, { size: '48x36in-landscape', fonts, now: Date.UTC(2026, 4, 1) });
    writeFileSync(file, bytes);
  });

  it('has every heading, both names, a cited clip title and an agreed theme as real text', () => {
    const t = flat(text(file));
    for (const h of Object.values(SECTION_HEADINGS)) expect(t).toContain(h);
    expect(t).toContain('Ana Kaladžija');
    expect(t).toContain('Kaladžija');
    expect(t).toContain('Батбаяр Дорж');
    expect(t).toContain('Батбаяр');
    expect(t).toMatch(/Dorj, B\. \(n\.d\.\)\. Reading club for adults\./);
    expect(t).toContain('Book club for adults: exchanging culture through novels');
    expect(t).not.toContain('Spaces for children'); // pending theme
    expect(t).not.toContain('Talking to the city council'); // disputed theme
    expect(t).toContain('Difficulties'); // no "ffi" ligature glyph breaking search
  });

  it('embeds every font', () => {
    const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(lines.length).toBe(2);
    for (const l of lines) {
      // columns: name, type (2 words), encoding, emb, sub, uni, object id
      const cols = l.trim().split(/\s+/);
      expect(cols[cols.length - 5], l).toBe('yes');
    }
  });

  it('is one 48×36 in page with metadata', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 3456, height: 2592 });
    expect(doc.getTitle()).toBe('Sarajevo and Ulaanbaatar: a library partnership');
    expect(doc.getAuthor()).toBe('Ana Kaladžija, Батбаяр Дорж');
    expect(doc.getCreator()).toBe('Partner Notebook');
  });

  it('makes the URLs of Sources and Contacts clickable, and nothing unsafe', async () => {
    const uris = await linkUris(bytes);
    expect(uris).toContain('https://library.example.mn/news/reading-club');
    expect(uris).toContain('https://www.example.net/core-values');
    expect(uris).toContain('mailto:ana@library.example.ba');
    expect(uris).toContain('https://social.example/@ana');
    for (const u of uris) expect(u).toMatch(/^(https?:\/\/|mailto:)/);
  });

  it('renders page 1 to a PNG (look at test-results/poster-unit-page1.png)', () => {
    execFileSync('pdftoppm', ['-png', '-r', '20', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/poster-unit-page1`]);
    expect(statSync(`${OUT}/poster-unit-page1.png`).size).toBeGreaterThan(5_000);
  });

  it.each(['A0-portrait', 'A1-portrait'] as const)('fits %s on one page', async (size) => {
    const doc = await PDFDocument.load(await posterPdf(seededOutline(), CTX, { size, fonts }));
    expect(doc.getPageCount()).toBe(1);
  });
});

describe('text the font cannot draw', () => {
  const partners = [
    { ...PARTNERS[0]!, name: 'محمد علي' },
    { ...PARTNERS[1]!, name: '王小明' },
  ];
  const outline = () => {
    const o = seededOutline();
    o.subtitle = 'Ana Kaladžija, Батбаяр, Γιώργος Παπαδόπουλος 📚';
    o.contacts[0]!.name = 'محمد علي';
    o.contacts[1]!.name = '王小明';
    return o;
  };

  it('is listed by unsupportedCharacters before export, with its script and replacement', () => {
    const found = unsupportedCharacters(outline(), { ...CTX, partners });
    const names = found.filter((f) => f.where === 'Partner names');
    expect(names.map((f) => [f.text, f.scripts, f.replacement])).toEqual([
      ['محمد علي', ['Arabic'], '[Arabic text]'],
      ['王小明', ['Chinese'], '[Chinese text]'],
    ]);
    expect(found.find((f) => f.where === 'Subtitle')).toMatchObject({ characters: ['📚'], scripts: ['Emoji'] });
    // Latin with diacritics, Cyrillic and Greek are fine.
    expect(found.some((f) => /Kaladžija|Батбаяр|Παπαδόπουλος/.test(f.text) && f.where !== 'Subtitle')).toBe(false);
    expect(unsupportedCharacters(seededOutline(), CTX)).toEqual([]);
  });

  it('prints a visible placeholder in the PDF instead of crashing or dropping it', async () => {
    const bytes = await posterPdf(outline(), { ...CTX, partners }, { size: 'A1-portrait', fonts });
    const file = `${OUT}/poster-unit-unsupported.pdf`;
    writeFileSync(file, bytes);
    const t = flat(text(file));
    expect(t).toContain('[Arabic text]');
    expect(t).toContain('[Chinese text]');
    expect(t).toContain('Παπαδόπουλος [emoji]');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getAuthor()).toBe('محمد علي, 王小明'); // metadata keeps the real names
  });

  it('replaces runs by script, mixed with supported text', () => {
    expect(replaceUnsupported('Dr. שלום Cohen and こんにちは世界 and हिन्दी')).toBe('Dr. [Hebrew text] Cohen and [Japanese text] and [Devanagari text]');
    expect(replaceUnsupported('Kaladžija Батбаяр Παπαδόπουλος')).toBe('Kaladžija Батбаяр Παπαδόπουλος');
  });
});

describe('overflow and fonts', () => {
  it('continues on further pages instead of cutting content', async () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      makeClip({
        id: `bulk-${i}`,
        captured: makeCaptured({
          title: `Report number ${i} on library services in a very long title that wraps`,
          url: `https://example.org/reports/${i}`,
          byline: `Author ${i} Surname`,
        }),
      }),
    );
    const o = seededOutline();
    o.sources.clipIds = many.map((c) => c.id);
    o.viewChanged = Array.from({ length: 40 }, () => 'A long paragraph about what we learned together during the programme.').join(' ');
    const bytes = await posterPdf(o, { ...CTX, clips: [...CLIPS, ...many] }, { size: 'A1-portrait', fonts });
    const file = `${OUT}/poster-unit-overflow.pdf`;
    writeFileSync(file, bytes);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    const t = flat(text(file));
    expect(t).toContain('Report number 399 on library services');
    expect(t).toContain('Contacts');
    expect(t).toContain(`Page ${doc.getPageCount()} of ${doc.getPageCount()}`);
    expect(t).toContain('(continued)');
  });

  it('per-character widths equal fontkit layout widths for the poster’s text (the measuring shortcut)', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const features = { liga: false, clig: false, dlig: false, kern: false, mark: false, mkmk: false };
    for (const bytes of [fonts.regular, fonts.bold]) {
      const font = await doc.embedFont(padTrueTypeGlyphs(bytes), { subset: true, features });
      const words = flat(text(`${OUT}/poster-unit.pdf`))
        .split(' ')
        .concat(['Difficulties', 'office', 'Παπαδόπουλος', 'Kaladžija', '“quote”—']);
      for (const w of words) {
        const perChar = Array.from(w).reduce((n, ch) => n + font.widthOfTextAtSize(ch, 1), 0);
        expect(perChar).toBeCloseTo(font.widthOfTextAtSize(w, 1), 6);
      }
    }
  });

  it('the coverage table is exactly the fonts’ character set', () => {
    for (const f of [fonts.regular, fonts.bold]) {
      const font = fontkit.create(Buffer.from(f));
      const set = new Set(font.characterSet);
      const fromTable = NOTO_SANS_RANGES.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
      expect(fromTable.length).toBe(set.size);
      for (const cp of fromTable) expect(set.has(cp)).toBe(true);
    }
    expect(pdfCanRender('ž'.codePointAt(0)!)).toBe(true);
    expect(pdfCanRender('ब'.codePointAt(0)!)).toBe(false);
  });

  it('padTrueTypeGlyphs keeps every glyph and makes fontkit subsets correct', async () => {
    const padded = padTrueTypeGlyphs(fonts.regular);
    expect(padTrueTypeGlyphs(fonts.regular)).toBe(padded); // cached
    const orig = fontkit.create(Buffer.from(fonts.regular));
    const fixed = fontkit.create(Buffer.from(padded));
    expect(fixed.numGlyphs).toBe(orig.numGlyphs);
    const sample = 'Sarajevo Kaladžija Батбаяр Παπαδόπουλος 1 200';
    // Glyph bytes of the subset font, read through its own head/loca (as a PDF viewer does).
    const glyphBytes = (font: Buffer, gid: number) => {
      const n = font.readUInt16BE(4);
      const table = (tag: string) => {
        for (let i = 0; i < n; i++) if (font.toString('latin1', 12 + 16 * i, 16 + 16 * i) === tag) return font.readUInt32BE(20 + 16 * i);
        throw new Error(tag);
      };
      const long = font.readInt16BE(table('head') + 50) === 1;
      const loca = table('loca');
      const at = (i: number) => (long ? font.readUInt32BE(loca + 4 * i) : font.readUInt16BE(loca + 2 * i) * 2);
      return font.subarray(table('glyf') + at(gid), table('glyf') + at(gid + 1));
    };
    const subsetPaths = async (font: typeof orig, source: Uint8Array) => {
      const glyphs = font.layout(sample).glyphs.filter((g) => g.path.toSVG().length > 0);
      const subset = font.createSubset();
      const ids = glyphs.map((g) => subset.includeGlyph(g));
      // The same call pdf-lib makes when it serialises a subset font.
      const parts: Uint8Array[] = [];
      const bytes = await new Promise<Buffer>((resolve, reject) =>
        (subset as unknown as { encodeStream(): NodeJS.EventEmitter })
          .encodeStream()
          .on('data', (b: Uint8Array) => parts.push(b))
          .on('end', () => resolve(Buffer.concat(parts)))
          .on('error', reject),
      );
      const src = Buffer.from(source);
      return glyphs.map((g, i) => {
        const want = glyphBytes(src, g.id);
        return [want.toString('hex'), glyphBytes(bytes, ids[i]!).subarray(0, want.length).toString('hex')] as const;
      });
    };
    // Composite glyphs (contour count -1) get their component ids renumbered by design: compare simple ones.
    const simple = (await subsetPaths(fixed, padded)).filter(([want]) => !want.startsWith('ffff'));
    expect(simple.length).toBeGreaterThan(10);
    for (const [want, got] of simple) expect(got).toBe(want);
    expect((await subsetPaths(orig, fonts.regular)).some(([want, got]) => want !== got)).toBe(true);
  });
});
