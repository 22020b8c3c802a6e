/**
 * The notebook's Y.Doc, one file per concern: keys.ts (the only file naming root types and keys),
 * parse.ts (pure, no Yjs), migrations, info, topics, clips, partners, members, changes, restore and
 * poster/. Import from here (or from one file, e.g. parse.ts where Yjs must not be bundled).
 * Modules whose every export is public are re-exported whole; keys, parse, problems and
 * poster/text also hold internal helpers, so only their public names are listed.
 */
export { SCHEMA_VERSION, LOCAL_ORIGIN } from './keys';
export type { Deps } from './keys';
export { LIMITS, NotebookError, parseCaptured } from './parse';
export { readProblems } from './problems';
export * from './migrations';
export * from './info';
export * from './topics';
export * from './clips';
export * from './partners';
export * from './members';
export * from './changes';
export {
  POSTER_LIMITS,
  POSTER_TEXT_FIELDS,
  CONTACT_FIELDS,
  DRAFTED_SECTIONS,
  minimalTextEdit,
  applyTextEdit,
  posterText,
  readPosterText,
  setPosterText,
} from './poster/text';
export type { ContactField, PosterTextField, DraftedSection } from './poster/text';
export * from './poster/outline';
export * from './poster/store';
export * from './poster/themes';
export * from './restore';
