// Silences kept beside the rollups so a restart keeps them (the alert book holds them in memory for
// evaluation). Implemented by both stores; tested by the shared contract.
import type { Silence } from '@wardwatch/schema';

export interface SilenceStore {
  /** Stores a silence; an id already stored is replaced. */
  putSilence(silence: Silence): Promise<void>;
  /** Removes one; false when there was none. */
  deleteSilence(id: string): Promise<boolean>;
  /** The silences not yet ended at `now`, by start then id. */
  storedSilences(now: number): Promise<Silence[]>;
}
