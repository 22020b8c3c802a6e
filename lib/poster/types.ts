/** Poster types now live with the notebook (lib/notebook/poster/types.ts); kept so older imports compile. */
export * from '../notebook/poster/types';
