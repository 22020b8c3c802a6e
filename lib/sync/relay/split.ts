/**
 * Splitting one Yjs update into several smaller, independently valid updates, so that a big
 * change (a notebook uploaded for the first time, a long offline session, a huge pasted
 * note) fits the relay's per-entry limit (1 MiB by default).
 *
 * Why not chunk the encrypted bytes: relay entries are independent (each is decrypted and
 * applied on its own, a snapshot can replace any prefix), so every entry must be a complete
 * Yjs update. Why not always compact instead: a snapshot needs the client to have applied
 * the whole log first and re-sends the whole notebook; splitting costs nothing extra.
 *
 * How: the update is decoded with `Y.decodeUpdate` and its structs are re-encoded in V1
 * format, in clock order, into pieces of at most `maxBytes`. V1 encodes every struct without
 * reference to its neighbours, so a struct's bytes can be measured once and concatenated.
 * An item whose content is a run (a typed string, an array of values) is cut at clock
 * boundaries, exactly as Yjs itself splits items; the right part gets the left part's last
 * id as its origin, which is how Yjs encodes a partial item too. The delete set goes last,
 * in pieces of its own. Applying the pieces in order (or in any order: Yjs parks what it
 * cannot integrate yet) gives the same document as applying the original update.
 *
 * One thing cannot be split: a single atomic value larger than `maxBytes` (a 2 MB string
 * stored as one Y.Map value, a big binary). Such a piece is returned oversized and the
 * caller must use another route (the relay client uploads a compaction snapshot, which
 * may be up to 8 MiB).
 */
import * as Y from 'yjs';
import { concatBytes } from '../../bytes';

// Header of one client's run: varUint numStructs, varUint client, varUint clock (≤ 3 × 10
// bytes for 64-bit numbers), plus a margin; the whole-update header/footer are 2 varUints.
const RUN_OVERHEAD = 32;
const UPDATE_OVERHEAD = 16;

/** Bytes of one encoded struct (or struct slice) of a client, at a given clock. */
interface EncodedStruct {
  client: number;
  clock: number;
  /** Clock length covered. */
  length: number;
  bytes: Uint8Array;
  skip: boolean;
}

/**
 * Splits a V1 update into V1 updates of at most `maxBytes` each (see the module comment).
 * Returns `[update]` unchanged when it already fits. Pieces can only exceed `maxBytes` when
 * one atomic value alone does; callers check `piece.length > maxBytes`.
 *
 * @param update a Yjs update in the V1 format (as from `Y.encodeStateAsUpdate`)
 * @param maxBytes largest piece wanted; must leave room for a struct header (≥ 256)
 * @throws whatever `Y.decodeUpdate` throws on malformed input
 */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  if (maxBytes < 256) throw new RangeError('maxBytes must be at least 256');
  const { structs, ds } = Y.decodeUpdate(update);
  const budget = maxBytes - UPDATE_OVERHEAD - RUN_OVERHEAD;

  const encoded: EncodedStruct[] = [];
  for (const s of structs) encodeStruct(s, budget, encoded);

  const pieces: Uint8Array[] = [];
  let runs: EncodedStruct[][] = [];
  let size = UPDATE_OVERHEAD;
  const flush = () => {
    // A piece of nothing but gaps carries no information.
    if (runs.some((r) => r.some((s) => !s.skip))) pieces.push(encodePiece(runs));
    runs = [];
    size = UPDATE_OVERHEAD;
  };
  for (const s of encoded) {
    const last = runs[runs.length - 1];
    const lastStruct = last?.[last.length - 1];
    const continues = lastStruct !== undefined && lastStruct.client === s.client && lastStruct.clock + lastStruct.length === s.clock;
    const add = s.bytes.length + (continues ? 0 : RUN_OVERHEAD);
    if (runs.length > 0 && size + add > maxBytes) flush();
    // Starting a piece always opens a new run for this client.
    const run = runs.length > 0 && continues ? runs[runs.length - 1]! : (runs.push([]), runs[runs.length - 1]!);
    if (run.length === 0 && s.skip) continue; // a run never needs to start with a gap
    run.push(s);
    size += s.bytes.length + (run.length === 1 ? RUN_OVERHEAD : 0);
  }
  flush();
  for (const p of encodeDeleteSet(ds, maxBytes)) pieces.push(p);
  return pieces;
}

/**
 * Encodes a struct, cutting it into clock slices when it is larger than `budget` and its
 * content is a run that Yjs itself could split.
 */
function encodeStruct(s: Y.Item | Y.GC | Y.Skip, budget: number, out: EncodedStruct[]): void {
  const client = s.id.client;
  if (!(s instanceof Y.Item)) {
    // GC and Skip encode as a length only: never large.
    const enc = new Y.UpdateEncoderV1();
    s.write(enc, 0);
    out.push({ client, clock: s.id.clock, length: s.length, bytes: enc.toUint8Array(), skip: s instanceof Y.Skip });
    return;
  }
  const whole = encodeSlice(s, 0, s.length);
  if (whole.length <= budget || s.length <= 1 || !isSplittable(s.content)) {
    out.push({ client, clock: s.id.clock, length: s.length, bytes: whole, skip: false });
    return;
  }
  // Halve recursively: content sizes vary (UTF-8 widths, JSON values), so measure, not guess.
  const slices: [number, number][] = [[0, s.length]];
  while (slices.length > 0) {
    const [from, to] = slices.shift()!;
    const bytes = from === 0 && to === s.length ? whole : encodeSlice(s, from, to);
    const mid = cutPoint(s.content, from, to);
    if (bytes.length <= budget || mid === null) {
      out.push({ client, clock: s.id.clock + from, length: to - from, bytes, skip: false });
    } else {
      slices.unshift([from, mid], [mid, to]);
    }
  }
}

function isSplittable(c: Y.Item['content']): boolean {
  return c instanceof Y.ContentString || c instanceof Y.ContentAny || c instanceof Y.ContentJSON || c instanceof Y.ContentDeleted;
}

/** A clock offset between `from` and `to` to cut at, or null if the range cannot be cut. */
function cutPoint(c: Y.Item['content'], from: number, to: number): number | null {
  if (to - from < 2) return null;
  let mid = from + Math.floor((to - from) / 2);
  if (c instanceof Y.ContentString) {
    // Never cut between the halves of a surrogate pair: Yjs would replace both with U+FFFD
    // on the receiving side only, and the partners' notebooks would differ.
    const hi = c.str.charCodeAt(mid - 1);
    if (hi >= 0xd800 && hi <= 0xdbff) mid += 1;
    if (mid >= to) return null;
  }
  return mid;
}

/** V1 bytes of the part of item `s` covering clock offsets `[from, to)`. */
function encodeSlice(s: Y.Item, from: number, to: number): Uint8Array {
  let item = s;
  if (to < s.length) {
    // Item.write can start mid-item (offset) but always runs to the end, so write a copy
    // whose content is cut at `to`. The copy keeps the id, origins and parent: the cut-off
    // right part is encoded separately with its own origin, as Yjs does when splitting.
    const content = s.content.copy();
    content.splice(to);
    item = new Y.Item(s.id, null, s.origin, null, s.rightOrigin, s.parent, s.parentSub, content);
  }
  const enc = new Y.UpdateEncoderV1();
  item.write(enc, from);
  return enc.toUint8Array();
}

/** Assembles a V1 update from runs of structs (one client each, contiguous clocks) with an empty delete set. */
function encodePiece(runs: EncodedStruct[][]): Uint8Array {
  const parts: (number[] | Uint8Array)[] = [];
  const nonEmpty = runs.filter((r) => r.length > 0);
  parts.push(varUint(nonEmpty.length));
  for (const run of nonEmpty) {
    parts.push(varUint(run.length), varUint(run[0]!.client), varUint(run[0]!.clock));
    for (const s of run) parts.push(s.bytes);
  }
  parts.push(varUint(0)); // no deletions in a struct piece
  return concatBytes(parts);
}

/** Encodes a delete set as updates without structs, each at most `maxBytes`. */
function encodeDeleteSet(ds: ReturnType<typeof Y.decodeUpdate>['ds'], maxBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let clients: [number, number[][]][] = [];
  let size = UPDATE_OVERHEAD;
  const flush = () => {
    if (clients.length === 0) return;
    const parts: (number[] | Uint8Array)[] = [varUint(0), varUint(clients.length)];
    for (const [client, ranges] of clients) {
      parts.push(varUint(client), varUint(ranges.length));
      for (const r of ranges) parts.push(r);
    }
    out.push(concatBytes(parts));
    clients = [];
    size = UPDATE_OVERHEAD;
  };
  for (const [client, items] of ds.clients) {
    let ranges: number[][] | null = null;
    for (const item of items) {
      const bytes = [...varUint(item.clock), ...varUint(item.len)];
      if (size + bytes.length + RUN_OVERHEAD > maxBytes) {
        flush();
        ranges = null;
      }
      if (!ranges) {
        ranges = [];
        clients.push([client, ranges]);
        size += RUN_OVERHEAD;
      }
      ranges.push(bytes);
      size += bytes.length;
    }
  }
  flush();
  return out;
}

/** lib0's variable-length unsigned integer (7 bits per byte, little end first). */
function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
