import { expect, test } from 'vitest';
import { agreedThemes, outlinePartnerIds } from '../../../lib/poster/draft';
import { outlineForPartners } from '../../../lib/poster/for-partners';
import { ANA, BATBAYAR } from '../factories';
import { PARTNERS, makePartner, seededOutline } from './fixtures';

test('a partner who joined after drafting must agree too, and gets an empty library block', () => {
  const cho = makePartner({ id: 'person-cho', name: 'Cho Min-ji' });
  const o = outlineForPartners(seededOutline(), [...PARTNERS, cho]);
  expect(outlinePartnerIds(o)).toEqual([ANA.id, BATBAYAR.id, 'person-cho']);
  expect(o.libraries[2]).toEqual({ partnerId: 'person-cho', text: '' });
  expect(agreedThemes(o, outlinePartnerIds(o))).toEqual([]);
});

test('blocks of a removed profile are left out', () => {
  const o = outlineForPartners(seededOutline(), [PARTNERS[1]!]);
  expect(outlinePartnerIds(o)).toEqual([BATBAYAR.id]);
  expect(o.contacts.map((c) => c.partnerId)).toEqual([BATBAYAR.id]);
});
