/**
 * Lets Yjs keep binary values (compressed clip bodies) as views of the update they arrived in,
 * instead of copying each one. Yjs's V2 decoder already does this; its V1 decoder (the format
 * IndexedDB, y-webrtc and the relay carry) allocates and copies every binary value, which for
 * three months of clips was about 1 800 allocations and 6 MB of copying — 10–15 ms and a garbage
 * collection on every open of the panel.
 *
 * Safe here because nothing in this extension writes to an update's bytes after applying it:
 * each comes fresh from IndexedDB, a decryption, a backup file or the journal. A view keeps its
 * update's buffer alive, which is about the memory the copies took anyway.
 */
import * as Y from 'yjs';

/** lib0's decoder, as Yjs's V1 update decoder holds it. */
interface Decoder {
  arr: Uint8Array;
  pos: number;
}

/** lib0's readVarUint8Array without its copy: a length (unsigned LEB128), then that many bytes. */
function readBytesView(d: Decoder): Uint8Array {
  let length = 0;
  for (let scale = 1; ; scale *= 128) {
    const b = d.arr[d.pos++];
    if (b === undefined || scale > 2 ** 49) throw new Error('Unexpected end of array');
    length += (b & 127) * scale;
    if (b < 128) break;
  }
  if (d.pos + length > d.arr.length) throw new Error('Unexpected end of array');
  const view = new Uint8Array(d.arr.buffer, d.arr.byteOffset + d.pos, length);
  d.pos += length;
  return view;
}

const v1 = (Y.UpdateDecoderV1 as unknown as { prototype?: { readBuf?: unknown } }).prototype;
if (v1 && typeof v1.readBuf === 'function') {
  v1.readBuf = function readBuf(this: { restDecoder: Decoder }): Uint8Array {
    return readBytesView(this.restDecoder);
  };
}
