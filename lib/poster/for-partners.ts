/**
 * The stored outline adjusted to the notebook's partners as they are now, so that the panel and
 * every export agree on who must agree to a theme (exports count the outline's library blocks).
 */
import type { PartnerProfile } from '../notebook/types';
import type { PosterOutline } from '../notebook/poster/types';

/**
 * The outline with one library block per current partner: stored blocks first in their order,
 * then an empty block for a partner who joined after drafting; blocks and contacts of profiles
 * that were removed are left out (their text stays in the notebook if the profile comes back).
 */
export function outlineForPartners(outline: PosterOutline, partners: readonly PartnerProfile[]): PosterOutline {
  const ids = new Set(partners.map((p) => p.id));
  const libraries = outline.libraries.filter((l) => ids.has(l.partnerId));
  for (const p of partners) if (!libraries.some((l) => l.partnerId === p.id)) libraries.push({ partnerId: p.id, text: '' });
  return { ...outline, libraries, contacts: outline.contacts.filter((c) => ids.has(c.partnerId)) };
}
