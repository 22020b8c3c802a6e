/**
 * The notebook's Y.Doc, one file per concern: keys.ts (the only file naming root types and keys),
 * parse.ts (pure, no Yjs), migrations, info, topics, clips, partners, members, changes, restore and
 * poster/. Import from here (or from one file, e.g. parse.ts where Yjs must not be bundled).
 */
export { SCHEMA_VERSION, LOCAL_ORIGIN } from './keys';
export type { Deps } from './keys';
export { LIMITS, NotebookError, parseCaptured } from './parse';
export { readProblems } from './problems';
export { MIGRATIONS, schemaVersion, migrate } from './migrations';
export type { Migration } from './migrations';
export { EXAMPLE_TOPICS, initNotebook, readInfo, setInfo } from './info';
export type { InitOptions } from './info';
export { readTopics, readTopic, addTopic, updateTopic, moveTopic, noteBody, fragmentText, countWords, noteText, topicStats } from './topics';
export type { TopicInput, TopicStats } from './topics';
export {
  addClip,
  normaliseTags,
  readClips,
  clipCounts,
  clipTags,
  clipIds,
  readClip,
  moveClip,
  addClipTags,
  removeClipTag,
  setClipComment,
  deleteClip,
  restoreClip,
  setClipImages,
  removeClipImages,
  readClipImages,
  clipImageHashes,
} from './clips';
export type { ClipInput, ClipImageRefs } from './clips';
export { readPartners, readPartner, updatePartner, removePartner } from './partners';
export { MEMBERSHIP_LIMITS, setMemberEntry, readMemberEntry, readMemberEntries, addRotationRecord, readRotationRecords, highestRotationEpoch } from './members';
export {
  registerClient,
  clientPeople,
  summarizeChange,
  classifyTransaction,
  subscribeTransactions,
  changedParts,
  subscribe,
  subscribeChanges,
} from './changes';
export type { ChangeSummary, TransactionChanges, ChangedParts, DocChanges } from './changes';
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
export {
  hasPoster,
  readPosterTable,
  readPosterThemes,
  readVoteRecorders,
  readPoster,
  rowKeyFor,
  initPoster,
  redraftPosterSection,
  setPosterTableCell,
  setPosterRowLabel,
  addPosterTableRow,
  removePosterTableRow,
} from './poster/outline';
export type { PosterTableRow } from './poster/outline';
export { posterStore } from './poster/store';
export type { PosterSnapshot, PosterStore } from './poster/store';
export {
  proposePosterTheme,
  voteTheme,
  themeTitleText,
  themePointTexts,
  addThemePoint,
  removeThemePoint,
  addThemeQuote,
  removeThemeQuote,
  removePosterTheme,
  citeClipInPoster,
  unciteClipInPoster,
} from './poster/themes';
export { HISTORY_ORIGIN, measureDeletion, restoreFromPast } from './restore';
export type { DeletionSize, RestoreCounts, RestoreScope } from './restore';
