/**
 * Convergence under churn: three partners edit at random while their clients stop and
 * start, their network is cut, and the server restarts; compaction runs often. With fixed
 * seeds, so a failure can be replayed. At the end every replica must be equal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keysFor, Partner, prng, TestRelay, waitFor } from './test-helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const WORDS = ['library', 'clip', 'partner', 'reading', 'club', 'zine', 'archive', 'Leipzig', 'Porto Alegre', 'ñandú', '😀'];

function randomEdit(p: Partner, rand: () => number, step: number): void {
  const word = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const x = rand();
  const text = p.doc.getText('text');
  if (x < 0.35) {
    p.doc.getMap('notes').set(`n${Math.floor(rand() * 12)}`, `${p.name}:${step}:${word()}`);
  } else if (x < 0.45) {
    p.doc.getMap('notes').delete(`n${Math.floor(rand() * 12)}`);
  } else if (x < 0.8) {
    text.insert(Math.floor(rand() * (text.length + 1)), `${word()} `);
  } else if (text.length > 0) {
    const at = Math.floor(rand() * text.length);
    text.delete(at, Math.min(text.length - at, 1 + Math.floor(rand() * 8)));
  }
}

describe('RelayClient convergence', () => {
  for (const seed of [1, 2, 3]) {
    it(`three partners converge through disconnects and server restarts (seed ${seed})`, async () => {
      const rand = prng(seed);
      // The seed fixes the sequence of actions; network timing still varies between runs.
      const keys = await keysFor(100 + seed);
      const relay = await new TestRelay().start();
      const partners = ['A', 'B', 'C'].map(
        (name) =>
          new Partner(name, keys, {
            compactAfterEntries: 15,
            // Each partner gets its own jitter from the seed.
            random: prng(seed * 10 + name.charCodeAt(0)),
          }),
      );
      cleanup.push(async () => {
        for (const p of partners) if (p.client) await p.client.stop(0);
        await relay.dispose();
      });
      for (const p of partners) await p.connect(relay);

      let restarts = 0;
      let cuts = 0;
      let reconnects = 0;
      let compactions = 0;
      for (let step = 0; step < 120; step++) {
        const p = partners[Math.floor(rand() * partners.length)]!;
        const x = rand();
        if (x < 0.6) {
          randomEdit(p, rand, step);
        } else if (x < 0.7) {
          if (p.client) compactions += (await p.disconnect()).stats.compactions;
          else await p.connect(relay);
          reconnects++;
        } else if (x < 0.77) {
          p.cutNetwork();
          cuts++;
        } else if (x < 0.8) {
          await relay.stop();
          randomEdit(p, rand, step); // an edit while the server is away
          await relay.start();
          restarts++;
        } else {
          await new Promise((r) => setTimeout(r, Math.floor(rand() * 25)));
        }
      }

      for (const p of partners) if (!p.client) await p.connect(relay);
      // Two rounds: the second picks up what others uploaded during the first.
      for (let round = 0; round < 2; round++) for (const p of partners) await p.client!.flush(20_000);
      await waitFor(() => partners.every((p) => p.view() === partners[0]!.view()), 'all replicas to converge', 15_000);

      const [a, b, c] = partners as [Partner, Partner, Partner];
      expect(b.view()).toBe(a.view());
      expect(c.view()).toBe(a.view());
      for (const p of partners) {
        expect(p.errors.filter((e) => e.code === 'unreadable-entry')).toEqual([]);
        expect(p.client!.status.pendingUploads).toBe(0);
        expect(p.client!.status.state).toBe('online');
      }
      // Fresh partner after all that: the relay alone holds the whole notebook.
      const late = new Partner('late', keys);
      cleanup.push(async () => {
        if (late.client) await late.client.stop(0);
      });
      await late.sync(relay);
      expect(late.view()).toBe(a.view());
      console.log(
        `[seed ${seed}] restarts ${restarts}, network cuts ${cuts}, client restarts ${reconnects}, ` +
          `compactions ${compactions + partners.reduce((n, p) => n + p.client!.stats.compactions, 0)}, text length ${a.doc.getText('text').length}`,
      );
    }, 60_000);
  }
});
