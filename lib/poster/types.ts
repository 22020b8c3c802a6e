/** Poster types now live with the notebook (lib/notebook/poster/types.ts); kept so older imports compile. */
import type { Translate } from '../i18n';
import type { PosterContext as NotebookPosterContext } from '../notebook/poster/types';

export * from '../notebook/poster/types';

/**
 * What the renderers need besides the outline: the notebook's parts (lib/notebook/poster/types.ts)
 * and the export's language. lib/notebook knows nothing of languages, so `t` is added here.
 */
export interface PosterContext extends NotebookPosterContext {
  /** The export's language (fixed headings, prompts); the panel's language when absent. */
  t?: Translate;
}
