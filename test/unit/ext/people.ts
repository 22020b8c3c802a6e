/**
 * People for tests of new invites: each with their own copy of a notebook and their own extension
 * storage (fakeBrowser has one storage per test, so {@link as} swaps it in around each step).
 */
import * as Y from 'yjs';
import { ensureMemberKey, followRotation, listPeople, rotateSecret } from '../../../lib/ext/rotation';
import { memberKeysItem, notebooksItem, toHex, type NotebookEntry } from '../../../lib/ext/storage';

export const NB = 'nb-attacks';

/** One person: their own copy of the notebook and their own extension storage. */
export interface Person {
  id: string;
  name: string;
  doc: Y.Doc;
  keys: unknown;
  notebooks: NotebookEntry[];
}

/** Runs `fn` with `p`'s extension storage in place (fakeBrowser has one storage per test). */
export async function as<T>(p: Person, fn: () => Promise<T>): Promise<T> {
  await memberKeysItem.setValue(p.keys as never);
  await notebooksItem.setValue(p.notebooks);
  try {
    return await fn();
  } finally {
    p.keys = await memberKeysItem.getValue();
    p.notebooks = await notebooksItem.getValue();
  }
}

/** Exchanges everything both copies have (a sync in the room both are in). */
export function meet(a: Person, b: Person) {
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), 'remote');
}

export const secret0 = toHex(new Uint8Array(32).fill(7));

export async function person(id: string, name: string): Promise<Person> {
  const p: Person = {
    id,
    name,
    doc: new Y.Doc(),
    keys: null,
    notebooks: [{ id: NB, title: 'Ana & Batbayar', createdAt: 1, lastOpenedAt: 1, secret: secret0 }],
  };
  await as(p, () => ensureMemberKey(p.doc, p.id, p.name));
  return p;
}

export const secretOf = (p: Person) => p.notebooks.find((e) => e.id === NB)!.secret;

/**
 * Ana, Batbayar and Eve, each with their own copy of the notebook, after Ana met Eve and
 * Batbayar (twice, so Batbayar also has Eve's member entry).
 */
export async function threePeople(): Promise<{ ana: Person; bat: Person; eve: Person }> {
  const ana = await person('ana', 'Ana');
  const bat = await person('bat', 'Batbayar');
  const eve = await person('eve', 'Eve');
  meet(ana, bat);
  meet(ana, eve);
  meet(ana, bat);
  return { ana, bat, eve };
}

/** `maker` makes a new invite keeping everyone listed but `leaveOut`, moves to it, and says how that went. */
export async function rotateLeavingOut(maker: Person, leaveOut: string[] = []) {
  const keep = (await as(maker, () => listPeople(maker.doc, NB))).filter((m) => !leaveOut.includes(m.personId)).map((m) => m.keyId);
  await as(maker, () => rotateSecret(maker.doc, NB, maker.id, { keep, name: maker.name }));
  return as(maker, () => followRotation(maker.doc, NB, maker.id));
}
