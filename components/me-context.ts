import { createContext, useContext } from 'react';

/** The person at this computer, as the poster actions need them (votes and proposals are theirs). */
export interface Me {
  id: string;
  name: string;
}

/** Provided by the open notebook, so deep components (clip cards, the note) need no extra props. */
export const MeContext = createContext<Me | null>(null);

/** The person at this computer; null outside an open notebook. */
export function useMe(): Me | null {
  return useContext(MeContext);
}
