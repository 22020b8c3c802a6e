/**
 * Byte-array helpers shared by modules that assemble binary data (relay entries, downloaded
 * images and PDFs). No browser APIs, no dependencies.
 */

/** Joins byte arrays (or plain lists of byte values) into one new, exactly-sized Uint8Array. */
export function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
