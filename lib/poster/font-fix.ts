/**
 * Works around a glyph-corruption bug in the font subsetter of @pdf-lib/fontkit 1.1.1.
 *
 * The subsetter copies each glyph's bytes as they are and then, for a small subset, writes a
 * *short* `loca` table, which stores offsets divided by two. Noto Sans (as shipped by
 * @expo-google-fonts) uses a long `loca` with 1 323 odd-length glyphs, so every offset after
 * the first odd glyph is off by one byte and most letters vanish from the PDF (the text is
 * still extractable, which is why only looking at the page shows it). Padding every glyph of
 * the source font to a multiple of four bytes — what the OpenType spec recommends anyway —
 * makes all offsets even and the subset correct. Pure bytes in, bytes out.
 */

const cache = new WeakMap<Uint8Array, Uint8Array>();

interface TableEntry {
  tag: string;
  offset: number;
  length: number;
}

function checksum(bytes: Uint8Array): number {
  const padded = bytes.length % 4 ? new Uint8Array(bytes.length + 4 - (bytes.length % 4)) : bytes;
  if (padded !== bytes) padded.set(bytes);
  const v = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

/**
 * The TrueType font with every glyph padded to a multiple of 4 bytes and a long `loca`, so
 * that fontkit's subsetter produces correct subsets. Returns the input unchanged when it is
 * not a TrueType (`glyf`) font or already has no odd-length glyph. Results are cached per
 * input array (exports call this for every PDF).
 */
export function padTrueTypeGlyphs(font: Uint8Array): Uint8Array {
  const cached = cache.get(font);
  if (cached) return cached;
  const result = pad(font);
  cache.set(font, result);
  return result;
}

function pad(font: Uint8Array): Uint8Array {
  const v = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const numTables = v.getUint16(4);
  const tables: TableEntry[] = [];
  for (let i = 0; i < numTables; i++) {
    const o = 12 + 16 * i;
    tables.push({ tag: String.fromCharCode(font[o]!, font[o + 1]!, font[o + 2]!, font[o + 3]!), offset: v.getUint32(o + 8), length: v.getUint32(o + 12) });
  }
  const get = (tag: string) => tables.find((t) => t.tag === tag);
  const head = get('head');
  const loca = get('loca');
  const glyf = get('glyf');
  const maxp = get('maxp');
  if (!head || !loca || !glyf || !maxp) return font;
  const longLoca = v.getInt16(head.offset + 50) === 1;
  const numGlyphs = v.getUint16(maxp.offset + 4);
  const at = (i: number) => (longLoca ? v.getUint32(loca.offset + 4 * i) : v.getUint16(loca.offset + 2 * i) * 2);
  let odd = false;
  let newGlyfLength = 0;
  for (let i = 0; i < numGlyphs; i++) {
    const len = at(i + 1) - at(i);
    if (len % 2) odd = true;
    newGlyfLength += (len + 3) & ~3;
  }
  if (!odd) return font;

  const newGlyf = new Uint8Array(newGlyfLength);
  const newLoca = new Uint8Array(4 * (numGlyphs + 1));
  const lv = new DataView(newLoca.buffer);
  let pos = 0;
  for (let i = 0; i < numGlyphs; i++) {
    const start = glyf.offset + at(i);
    const len = at(i + 1) - at(i);
    lv.setUint32(4 * i, pos);
    newGlyf.set(font.subarray(start, start + len), pos);
    pos += (len + 3) & ~3;
  }
  lv.setUint32(4 * numGlyphs, pos);

  const newHead = font.slice(head.offset, head.offset + head.length);
  const hv = new DataView(newHead.buffer);
  hv.setInt16(50, 1); // indexToLocFormat: long offsets
  hv.setUint32(8, 0); // checkSumAdjustment, recomputed below

  const data = new Map<string, Uint8Array>();
  for (const t of tables) data.set(t.tag, font.subarray(t.offset, t.offset + t.length));
  data.set('glyf', newGlyf);
  data.set('loca', newLoca);
  data.set('head', newHead);

  const headerLength = 12 + 16 * numTables;
  let size = headerLength;
  for (const t of tables) size += (data.get(t.tag)!.length + 3) & ~3;
  const out = new Uint8Array(size);
  const ov = new DataView(out.buffer);
  out.set(font.subarray(0, 12));
  let offset = headerLength;
  let headOffset = 0;
  // Keep the directory order (it is sorted by tag, as the spec requires).
  tables.forEach((t, i) => {
    const bytes = data.get(t.tag)!;
    const o = 12 + 16 * i;
    out.set(font.subarray(o, o + 4), o);
    ov.setUint32(o + 4, checksum(bytes));
    ov.setUint32(o + 8, offset);
    ov.setUint32(o + 12, bytes.length);
    out.set(bytes, offset);
    if (t.tag === 'head') headOffset = offset;
    offset += (bytes.length + 3) & ~3;
  });
  ov.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
