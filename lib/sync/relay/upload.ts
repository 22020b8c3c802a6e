/**
 * Writing to the relay, the second half of the sync concern: local changes batched into cuts and
 * uploaded in order, split to the server's entry size, sealed for the seqs they will get and
 * acknowledged; a snapshot for a change that cannot be split; compaction ("tidying") of a long
 * log. Built on the reader (`reader.ts`): an append that conflicts reads what partners appended.
 */
import * as Y from 'yjs';
import type { RelayServerMessage } from '../../../protocol/relay';
import { IV_BYTES, sealEntry } from '../keys/derive';
import { ConnectionLost, ServerError } from './connection';
import { RelayError } from './errors';
import { fingerprint, MiB, RELAY_ORIGIN, RelayReader, RoomReplaced, type Cut, type Session } from './reader';
import { splitUpdate } from './split';
import type { RelayClientOptions } from './types';

/** AES-GCM adds the IV in front and a 16-byte tag at the end of every entry. */
const SEAL_OVERHEAD = IV_BYTES + 16;

/** The relay refused this client's writes (other invite): uploads stop, reading goes on. */
class WriteRefused extends Error {
  override name = 'WriteRefused';
}

/** Uploads local changes and compacts the room. See {@link RelayClient} (`client.ts`) for the whole. */
export abstract class RelayUploader extends RelayReader {
  private readonly batchMs: number;
  private readonly compactAfterEntries: number;
  private readonly compactAfterBytes: number;
  /** Local updates collected for the next cut (only while a session is live). */
  protected queue: Uint8Array[] = [];
  protected batchTimer?: ReturnType<typeof setTimeout>;
  /** Local changes not yet acknowledged. */
  protected unconfirmed = 0;
  private lastStateSaveAt = -Infinity;

  constructor(options: RelayClientOptions) {
    super(options);
    this.batchMs = options.batchMs ?? 300;
    this.compactAfterEntries = options.compactAfterEntries ?? 200;
    this.compactAfterBytes = options.compactAfterBytes ?? 2 * MiB;
  }

  protected readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === RELAY_ORIGIN) {
      this.relayChanged = true;
      return;
    }
    this.unconfirmed++;
    const s = this.session;
    if (s?.live) {
      this.queue.push(update);
      this.batchTimer ??= setTimeout(() => {
        this.batchTimer = undefined;
        this.cutNow();
      }, this.batchMs);
    }
    this.setStatus({});
  };

  /** Moves the collected local updates into one upload. */
  protected cutNow(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const s = this.session;
    if (!s?.live || this.queue.length === 0) return;
    const updates = this.queue;
    this.queue = [];
    // A relay state per cut lets an interrupted session resume close to where it stopped;
    // Y.snapshot walks every struct, so take it at most every few seconds.
    const takeState = this.now() - this.lastStateSaveAt > 5000;
    if (takeState) this.lastStateSaveAt = this.now();
    s.uploads.push({
      update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
      count: updates.length,
      state: takeState ? Y.snapshot(this.doc) : null,
    });
    void this.pump(s);
  }

  protected hasLocalWork(): boolean {
    return this.queue.length > 0 || (this.session?.uploads.length ?? 0) > 0 || this.unconfirmed > 0;
  }

  /** Uploads cuts in order, one at a time; then compacts if due. */
  protected async pump(s: Session): Promise<void> {
    if (s.pumping || s.ended || !s.caughtUp) return;
    s.pumping = true;
    try {
      while (!s.ended && s.canWrite && s.uploads.length > 0) {
        const cut = s.uploads[0]!;
        await this.upload(s, cut);
        if (s.ended) return;
        s.uploads.shift();
        this.unconfirmed = Math.max(0, this.unconfirmed - cut.count);
        if (cut.state) await this.saveRelayState(cut.state);
        this.setStatus({});
      }
      if (!s.ended && s.canWrite) await this.maybeCompact(s);
    } catch (e) {
      // A refused write keeps the connection: partners' changes still arrive.
      if (!(e instanceof WriteRefused)) s.conn.fail(e);
    } finally {
      s.pumping = false;
      this.settle(s);
    }
  }

  private async upload(s: Session, cut: Cut): Promise<void> {
    const maxPlain = this.maxEntryBytes - SEAL_OVERHEAD;
    const pieces = splitUpdate(cut.update, maxPlain);
    if (pieces.some((p) => p.length > maxPlain)) {
      // One value alone exceeds an entry (a huge clip body): send the notebook as a snapshot.
      await this.uploadAsSnapshot(s);
      return;
    }
    // Several entries per append while the frame stays within one entry's size: the
    // server's frame limit is at least 4/3 × maxEntryBytes + 64 KiB.
    let group: Uint8Array[] = [];
    let groupBytes = 0;
    for (const piece of pieces) {
      const size = piece.length + SEAL_OVERHEAD;
      if (group.length > 0 && groupBytes + size > this.maxEntryBytes) {
        await this.append(s, group);
        group = [];
        groupBytes = 0;
      }
      group.push(piece);
      groupBytes += size;
    }
    if (group.length > 0) await this.append(s, group);
  }

  /**
   * Appends plaintext updates as the next entries of the room. Each is sealed for the seq it
   * will get (the head as this client knows it, plus one), and the server stores them only at
   * exactly those seqs; if a partner appended meanwhile (`conflict`), this client reads what
   * came in and seals again for the new seqs.
   */
  private async append(s: Session, plains: Uint8Array[], compactedForSpace = false): Promise<void> {
    let reply: RelayServerMessage | undefined;
    let entries: Uint8Array[] = [];
    let first = 0;
    for (let attempt = 0; !reply; attempt++) {
      first = s.head + 1;
      entries = await Promise.all(plains.map((p, i) => sealEntry(this.keys, p, { generation: s.generation, seq: first + i, kind: 'update' })));
      try {
        reply = await s.conn.request({
          type: 'append',
          room: this.keys.relayRoom,
          entries,
          writeToken: this.keys.writeToken,
          generation: s.generation,
          seq: first,
        });
      } catch (e) {
        if (e instanceof ServerError && e.code === 'conflict' && attempt < 20) {
          // Fetch what the partner appended (this also moves s.head), then seal again.
          await this.enqueueApply(s, () => this.catchUp(s));
          if (s.ended) throw new ConnectionLost('connection closed');
          // (A push may have moved s.head already, which is as good.) No news at all although
          // the server said the room moved: it misbehaves, or its generation changed, which
          // the fetch's own check reports first.
          if (s.head < first) throw new RoomReplaced('append conflict without new entries');
          continue;
        }
        if (e instanceof ServerError && e.code === 'room-full' && !compactedForSpace && (await this.compact(s))) {
          return this.append(s, plains, true);
        }
        if (e instanceof ServerError && e.code === 'forbidden') {
          s.canWrite = false;
          this.report(new RelayError('forbidden', { cause: e }), true);
          throw new WriteRefused('forbidden', { cause: e });
        }
        throw e;
      }
    }
    // The entries are sealed for these seqs: stored anywhere else, nobody could read them.
    if (reply.type !== 'ack' || reply.seqs.length !== entries.length || reply.generation !== s.generation || reply.seqs.some((seq, i) => seq !== first + i)) {
      throw new RelayError('bad-reply', { cause: new Error('the relay stored the entries elsewhere than asked') });
    }
    for (const [i, seq] of reply.seqs.entries()) {
      this.ownSeqs.set(seq, fingerprint(entries[i]!));
      s.head = Math.max(s.head, seq);
      if (seq > s.snapshotSeq) s.bytesSinceSnapshot += entries[i]!.length;
      this.counters.bytesSent += entries[i]!.length;
    }
    this.counters.entriesAppended += entries.length;
    const before = this.cursor;
    this.advanceOwn();
    if (this.cursor !== before) await this.saveCursor();
  }

  /**
   * Uploads the whole notebook as a compaction snapshot, for a change that cannot be split
   * into entries. Compaction needs a seq to replace, so an empty room first gets an empty
   * update, and the client must have applied the log up to the seq it compacts.
   */
  private async uploadAsSnapshot(s: Session): Promise<void> {
    if (this.cursor < 1) await this.append(s, [Y.encodeStateAsUpdate(new Y.Doc())]);
    if (await this.compact(s)) return;
    // Someone appended in between (so the cursor did not move) or compacted further:
    // fetch what came in, then try once more.
    await this.enqueueApply(s, () => this.catchUp(s));
    if (!(await this.compact(s))) throw new RelayError(s.snapshotTooLarge ? 'notebook-too-large' : 'too-large');
  }

  /**
   * Compacts when the log since the last snapshot is long: more entries than
   * `compactAfterEntries`, or more bytes than `compactAfterBytes` *and* twice the notebook's
   * own size (a log of one big upload is already as small as a snapshot would be).
   */
  private async maybeCompact(s: Session): Promise<void> {
    if (!s.canWrite || !s.caughtUp || s.ended || s.snapshotTooLarge) return;
    const overCount = s.head - s.snapshotSeq > this.compactAfterEntries;
    const overBytes = s.bytesSinceSnapshot > Math.max(this.compactAfterBytes, s.nextBytesCheck);
    if (!overCount && !overBytes) return;
    // Only from a client that has applied everything it knows of, so the snapshot is complete.
    if (this.cursor !== s.head) return;
    const plain = Y.encodeStateAsUpdate(this.doc);
    if (!overCount && s.bytesSinceSnapshot < 2 * plain.length) {
      s.nextBytesCheck = 2 * plain.length;
      return;
    }
    await this.compact(s, plain);
  }

  /**
   * Replaces the log up to the cursor by a snapshot of the doc. The doc holds every entry
   * up to the cursor (plus maybe more, which is harmless). Returns false if not possible now.
   */
  private async compact(s: Session, plain?: Uint8Array): Promise<boolean> {
    const upTo = this.cursor;
    if (upTo < 1 || upTo < s.snapshotSeq || s.snapshotTooLarge) return false;
    // Encoded after reading the cursor: the doc then holds every entry up to it.
    const sealed = await sealEntry(this.keys, plain ?? Y.encodeStateAsUpdate(this.doc), { generation: s.generation, seq: upTo, kind: 'snapshot' });
    if (sealed.length > this.maxSnapshotBytes) {
      s.snapshotTooLarge = true;
      this.report(new RelayError('notebook-too-large'));
      return false;
    }
    try {
      await s.conn.request({ type: 'compact', room: this.keys.relayRoom, upTo, snapshot: sealed, writeToken: this.keys.writeToken, generation: s.generation });
    } catch (e) {
      if (e instanceof ServerError && e.code === 'bad-range') {
        // Another partner compacted past our cursor meanwhile (compactions are not pushed):
        // nothing lost, the log is short again; count from the head rather than retry each time.
        s.snapshotSeq = s.head;
        s.bytesSinceSnapshot = 0;
        return false;
      }
      throw e;
    }
    s.snapshotSeq = upTo;
    s.bytesSinceSnapshot = 0;
    s.nextBytesCheck = 0;
    this.counters.compactions++;
    this.counters.bytesSent += sealed.length;
    return true;
  }

  protected async saveRelayState(state: Y.Snapshot): Promise<void> {
    if (Y.equalSnapshots(state, this.relayState)) return;
    this.relayState = state;
    this.lastStateSaveAt = this.now();
    await this.uploadStore.save(Y.encodeSnapshot(state));
  }
}
