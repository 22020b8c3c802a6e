import { en } from './en';
import type { Catalogue } from './index';

/** TODO translation */
export const lv: Catalogue = { ...en };
