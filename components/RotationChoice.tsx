import type { RotationChoice as Choice } from '../lib/sync/rotation';
import { T } from './test-ids';

const when = (at: number) => (at ? new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

/**
 * Two new invites compete for this notebook (two partners made one at the same time, or someone
 * who held the old invite made their own), or one was removed. The panel does not guess: it shows
 * who made each (name and fingerprint words, to compare on a call) and who each keeps.
 */
export function RotationChoice(props: { choice: Choice; onChoose(key: string): void; onLater(): void }) {
  const { choice } = props;
  return (
    <section className="card alert" role="region" aria-labelledby="rotation-choice-h" data-testid={T.rotationChoice}>
      <h2 id="rotation-choice-h">Which new invite should this notebook follow?</h2>
      {choice.options.length > 1 && <p>More than one new invite was made for this notebook. Call or message your partners and compare the words below with theirs before you choose.</p>}
      {choice.removed.map((r) => (
        <p key={r.keyId} data-testid={T.rotationRemoved}>
          Someone removed or damaged a new invite made by {r.name ?? 'a partner'} (key words: {r.words}). Ask your partners which invite is the right one before you choose.
        </p>
      ))}
      {choice.options.length === 0 && <p>Ask your partners to send you the current invite code, then use “Join a notebook”.</p>}
      <ul className="plain">
        {choice.options.map((o) => (
          <li key={o.key} className="card" data-testid={T.rotationOption}>
            <p>
              Made by <strong>{o.by.name || 'someone without a name'}</strong> {when(o.at) && `on ${when(o.at)}`}
              <br />
              <span className="small">Key words: <span data-testid={T.fingerprint}>{o.by.words}</span></span>
            </p>
            <p className="small">Keeps: {o.members.map((m) => `${m.name || 'no name'} (${m.words})`).join(', ')}</p>
            <button type="button" onClick={() => props.onChoose(o.key)} data-testid={T.rotationFollow}>
              Follow the invite made by {o.by.name || 'this person'}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={props.onLater}>
        Decide later
      </button>
    </section>
  );
}
