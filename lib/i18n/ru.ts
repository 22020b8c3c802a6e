import { en } from './en';
import type { Catalogue } from './index';

/** TODO translation */
export const ru: Catalogue = { ...en };
