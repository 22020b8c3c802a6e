/** Partner profiles (one per person in the partnership). */
import * as Y from 'yjs';
import { LIBRARY_TYPES, type LibraryFacts, type LibraryType, type PartnerProfile } from './types';
import { partnersMap, write } from './keys';
import { LIMITS, num, parseJson, str } from './parse';
import { skip } from './problems';

// ---------------------------------------------------------------------------------------------
// Partners

const FACT_KEYS = ['founded', 'collectionSize', 'registeredUsers', 'staff', 'yearlyVisits'] as const satisfies readonly (keyof LibraryFacts)[];
const TEXT_KEYS = ['name', 'color', 'country', 'city', 'timeZone', 'libraryName', 'website', 'email'] as const;

function parsePartner(doc: Y.Doc, id: string, m: unknown): PartnerProfile | undefined {
  // Gone (deleted, or never there) is not malformed: only a value of the wrong kind is reported.
  if (m === undefined) return undefined;
  if (!(m instanceof Y.Map)) return skip(doc, `partners/${id}`);
  const name = str(m.get('name'), LIMITS.profileField);
  if (name === undefined) return skip(doc, `partners/${id}`);
  const facts: LibraryFacts = {};
  for (const k of FACT_KEYS) {
    const v = num(m.get('fact.' + k));
    if (v !== undefined && v >= 0) facts[k] = v;
  }
  const social = parseJson(m.get('social'));
  const type = m.get('libraryType');
  return {
    id,
    name,
    color: str(m.get('color'), 32) ?? '#555555',
    country: str(m.get('country'), LIMITS.profileField) ?? '',
    city: str(m.get('city'), LIMITS.profileField) ?? '',
    timeZone: str(m.get('timeZone'), 64) ?? '',
    libraryName: str(m.get('libraryName'), LIMITS.profileField) ?? '',
    libraryType: LIBRARY_TYPES.includes(type as LibraryType) ? (type as LibraryType) : undefined,
    facts,
    website: str(m.get('website'), LIMITS.profileField) ?? '',
    email: str(m.get('email'), LIMITS.profileField) ?? '',
    social: Array.isArray(social)
      ? social
          .filter((s): s is string => typeof s === 'string')
          .slice(0, LIMITS.socialLinks)
          .map((s) => s.slice(0, LIMITS.profileField))
      : [],
  };
}

/** Every partner profile, by name. */
export function readPartners(doc: Y.Doc): PartnerProfile[] {
  const out: PartnerProfile[] = [];
  partnersMap(doc).forEach((m, id) => {
    const p = parsePartner(doc, id, m);
    if (p) out.push(p);
  });
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** One partner's profile. */
export function readPartner(doc: Y.Doc, id: string): PartnerProfile | undefined {
  return parsePartner(doc, id, partnersMap(doc).get(id));
}

/**
 * Creates or changes a profile. Each field is its own key, so two partners editing different
 * fields of one profile at once both keep their change.
 */
export function updatePartner(doc: Y.Doc, id: string, patch: Partial<Omit<PartnerProfile, 'id'>>): void {
  write(doc, () => {
    let m = partnersMap(doc).get(id);
    if (!(m instanceof Y.Map)) {
      m = new Y.Map<unknown>();
      partnersMap(doc).set(id, m);
      if (patch.name === undefined) m.set('name', '');
    }
    const map = m;
    for (const k of TEXT_KEYS) {
      const v = patch[k];
      // Not trimmed here: the field is edited key by key, and a trailing space is the next word's start.
      if (v !== undefined) map.set(k, v.slice(0, LIMITS.profileField));
    }
    if ('libraryType' in patch) {
      if (patch.libraryType && LIBRARY_TYPES.includes(patch.libraryType)) map.set('libraryType', patch.libraryType);
      else map.delete('libraryType');
    }
    if (patch.facts) {
      for (const k of FACT_KEYS) {
        if (!(k in patch.facts)) continue;
        const v = patch.facts[k];
        if (v === undefined || !Number.isFinite(v) || v < 0) map.delete('fact.' + k);
        else map.set('fact.' + k, v);
      }
    }
    if (patch.social) {
      map.set(
        'social',
        JSON.stringify(
          patch.social
            .map((s) => s.trim())
            .filter(Boolean)
            .slice(0, LIMITS.socialLinks),
        ),
      );
    }
  });
}

/** Removes a profile. */
export function removePartner(doc: Y.Doc, id: string): void {
  write(doc, () => partnersMap(doc).delete(id));
}
