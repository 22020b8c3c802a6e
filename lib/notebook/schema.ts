// Kept only until the branches pending when the schema was split (issue 15) are merged: new code
// imports lib/notebook (index.ts) or one of its files.
export * from './index';
