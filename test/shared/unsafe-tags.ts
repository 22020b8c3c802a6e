/**
 * Elements that must never appear in HTML the extension shows or writes (clips, notes, posters),
 * grouped by why. The unit and end-to-end XSS checks both read this list. It is the tests' own
 * list on purpose, kept apart from the sanitiser's (lib/clip/sanitize.ts): a tag the sanitiser
 * forgot is then caught here instead of being trusted.
 */
export const UNSAFE_TAGS_BY_REASON = {
  'run or hold script': ['script', 'noscript', 'template'],
  'embed another document or plugin': ['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'],
  'restyle or redirect the whole page': ['style', 'link', 'meta', 'base'],
  'submit or take input': ['form', 'input', 'button', 'textarea', 'select'],
  'foreign markup with its own handlers and links': ['svg', 'math', 'use', 'animate', 'set', 'foreignobject'],
} as const;

/** Every tag of {@link UNSAFE_TAGS_BY_REASON}, lower case as `Element.localName` gives it. */
export const UNSAFE_TAGS: readonly string[] = Object.values(UNSAFE_TAGS_BY_REASON).flat();
