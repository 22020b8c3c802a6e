/**
 * schema.org data on a page: JSON-LD blocks and microdata. Librarians clip library and
 * partner-organisation pages, whose address, opening hours and telephone are worth keeping
 * in a structured form (the poster and profile forms can reuse them).
 *
 * Everything here is untrusted page data: JSON is parsed defensively, only known fields of
 * known types are copied, and the output is bounded.
 */

/** A JSON-LD node as parsed: any object. */
export type JsonLdNode = Record<string, unknown>;

/** schema.org types whose data a clip keeps (organisations and places). */
const ORGANISATION_TYPES = new Set([
  'Library',
  'Organization',
  'LocalBusiness',
  'GovernmentOrganization',
  'EducationalOrganization',
  'CollegeOrUniversity',
  'School',
  'NGO',
  'Corporation',
  'Museum',
  'Archive',
  'ArchiveOrganization',
  'CivicStructure',
  'GovernmentBuilding',
  'Place',
  'LibrarySystem',
  'Consortium',
  'ResearchOrganization',
  'NewsMediaOrganization',
  'PerformingArtsTheater',
  'BookStore',
  'Event',
]);

/** Fields copied from such a node; everything else (tracking ids, ratings…) is dropped. */
const KEPT_FIELDS = [
  '@type',
  'name',
  'alternateName',
  'legalName',
  'description',
  'url',
  'sameAs',
  'logo',
  'image',
  'address',
  'geo',
  'hasMap',
  'telephone',
  'faxNumber',
  'email',
  'openingHours',
  'openingHoursSpecification',
  'specialOpeningHoursSpecification',
  'areaServed',
  'foundingDate',
  'parentOrganization',
  'department',
  'contactPoint',
  'isAccessibleForFree',
  'publicAccess',
  'startDate',
  'endDate',
  'location',
  'organizer',
];

/** Bound on the JSON text kept per clip: structured data is a summary, not a dump. */
const MAX_STRUCTURED_BYTES = 64 * 1024;
/** Nested objects deeper than this are cut (a malicious page could nest thousands). */
const MAX_DEPTH = 6;

/**
 * Every JSON-LD node on the page, flattened: top-level arrays and `@graph` members become
 * separate nodes. Blocks that do not parse (HTML comments, trailing commas, CDATA wrappers
 * are common) are repaired when simple, else skipped.
 */
export function readJsonLd(doc: Document): JsonLdNode[] {
  const nodes: JsonLdNode[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 3 || nodes.length > 200) return;
    if (Array.isArray(value)) for (const v of value) visit(v, depth + 1);
    else if (value && typeof value === 'object') {
      const node = value as JsonLdNode;
      nodes.push(node);
      if (node['@graph']) visit(node['@graph'], depth + 1);
    }
  };
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'))) {
    const raw = (script.textContent ?? '').replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[)/, '').replace(/(?:-->|\/\/\s*\]\]>)\s*$/, '');
    try {
      visit(JSON.parse(raw), 0);
    } catch {
      try {
        visit(JSON.parse(raw.replace(/,\s*([}\]])/g, '$1')), 0);
      } catch {
        // Unparseable block: the page gets no structured data from it.
      }
    }
  }
  return nodes;
}

/** The schema.org type names of a node, without the "https://schema.org/" prefix. */
export function jsonLdTypes(node: JsonLdNode): string[] {
  const t = node['@type'];
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^https?:\/\/schema\.org\//, ''));
}

/** Copies plain JSON data up to {@link MAX_DEPTH}, dropping functions, cycles and long arrays. */
function copyJson(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return value.slice(0, 2000);
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value))
    return value
      .slice(0, 50)
      .map((v) => copyJson(v, depth + 1))
      .filter((v) => v !== undefined);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object).slice(0, 50)) {
      if (k === '@context' || k === '@id') continue;
      const c = copyJson(v, depth + 1);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return undefined;
}

/** Keeps the {@link KEPT_FIELDS} of an organisation-like node. */
function pickOrganisation(node: JsonLdNode): JsonLdNode {
  const out: JsonLdNode = {};
  for (const key of KEPT_FIELDS) {
    if (node[key] === undefined) continue;
    const value = copyJson(node[key], 1);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Text of a microdata property: `content`, `datetime`, a URL attribute, or the text. */
function microdataValue(el: Element): string {
  const attr =
    el.getAttribute('content') ??
    el.getAttribute('datetime') ??
    (/^(A|LINK|AREA)$/.test(el.tagName) ? el.getAttribute('href') : null) ??
    (/^(IMG|AUDIO|VIDEO|SOURCE)$/.test(el.tagName) ? el.getAttribute('src') : null);
  return (attr ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 2000);
}

/** Reads one microdata item into a JSON-LD-like object, nested items included. */
function readMicrodataItem(item: Element, depth: number): JsonLdNode {
  const out: JsonLdNode = {};
  const type = (item.getAttribute('itemtype') ?? '').split(/\s+/)[0]?.replace(/^https?:\/\/schema\.org\//, '');
  if (type) out['@type'] = type;
  // Properties belong to the nearest enclosing itemscope; skip those of nested items.
  const props = Array.from(item.querySelectorAll('[itemprop]')).filter((p) => p.parentElement?.closest('[itemscope]') === item);
  for (const prop of props.slice(0, 100)) {
    const names = (prop.getAttribute('itemprop') ?? '').split(/\s+/).filter(Boolean);
    const value = prop.hasAttribute('itemscope') && depth < MAX_DEPTH ? readMicrodataItem(prop, depth + 1) : microdataValue(prop);
    for (const name of names) {
      const prev = out[name];
      out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
  return out;
}

/** Top-level microdata items on the page (not nested in another item). */
function readMicrodata(doc: Document): JsonLdNode[] {
  return Array.from(doc.querySelectorAll('[itemscope][itemtype]'))
    .filter((el) => !el.parentElement?.closest('[itemscope]'))
    .slice(0, 50)
    .map((el) => readMicrodataItem(el, 1));
}

/**
 * schema.org data about organisations and places on the page (Library, Organization,
 * LocalBusiness, Museum…), from JSON-LD and microdata, with their name, address, opening
 * hours, telephone, url and similar fields, as JSON text (an array). Undefined when the
 * page has none. Bounded to 64 KB: whole items are dropped from the end to fit.
 */
export function readStructuredData(doc: Document): string | undefined {
  let items: JsonLdNode[];
  try {
    items = [...readJsonLd(doc), ...readMicrodata(doc)]
      .filter((n) => jsonLdTypes(n).some((t) => ORGANISATION_TYPES.has(t)))
      .map(pickOrganisation)
      .filter((n) => Object.keys(n).length > 1);
  } catch {
    return undefined;
  }
  while (items.length) {
    const json = JSON.stringify(items);
    if (json.length * 3 <= MAX_STRUCTURED_BYTES || new TextEncoder().encode(json).length <= MAX_STRUCTURED_BYTES) {
      return json;
    }
    items = items.slice(0, -1);
  }
  return undefined;
}
