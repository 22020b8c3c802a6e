// The shapes an import returns and the bounds on what it may contain.
/** One topic read from the input. */
export interface ImportedTopic {
  /** The input line the topic starts on (1-based), for the preview. */
  line: number;
  title: string;
  /** The organisers' prompt; empty when the input had none. */
  prompt: string;
  /** Local midnight of the start date in `options.timeZone` (epoch ms), when a date was given. */
  start?: number;
  /** The same start date as a calendar date, "2026-03-02", so the caller can re-anchor it in another zone. */
  startDate?: string;
}

/** Something in the input that could not be imported. `line` is 1-based; 0 means the input as a whole. */
export interface ImportError {
  line: number;
  message: string;
}

/** Which reader was used. */
export type ImportFormat = 'list' | 'csv' | 'json';

/** Result of {@link parseTopicSchedule}. */
export interface ImportResult {
  rows: ImportedTopic[];
  errors: ImportError[];
  format: ImportFormat;
}

/** Options of {@link parseTopicSchedule}. */
export interface ImportOptions {
  /** Force a reader instead of guessing from the content. */
  format?: ImportFormat | 'auto';
  /** Zone in which start dates begin at midnight (the notebook's or the organisers'); default "UTC". */
  timeZone?: string;
  /** How to read ambiguous numeric dates such as 02/03/2026 (see the comment at the top of index.ts). */
  dateOrder?: 'day-first' | 'month-first';
  /** Year for dates written without one. */
  defaultYear?: number;
}

/** Bounds on what one import may contain. */
export const IMPORT_LIMITS = {
  rows: 100,
  title: 200,
  prompt: 4_000,
  /** Input size in UTF-8 bytes (1 MB). */
  bytes: 1_048_576,
} as const;
