// The contract suites' stores: each test opens fresh ones, and every store a test opened (or adopted,
// e.g. a second connection to the same database) is disposed of and closed after it.
import { afterEach } from 'vitest';

export interface Closable {
  close(): Promise<void>;
  dispose?: () => Promise<void>;
}

/** Call inside a `describe`: `fresh()` opens a store closed after the test; `adopt(store)` closes one opened otherwise. */
export function openedStores<S extends Closable>(open: () => Promise<S>): { fresh: () => Promise<S>; adopt: <T extends Closable>(store: T) => T } {
  const opened: Closable[] = [];
  afterEach(async () => {
    while (opened.length > 0) {
      const store = opened.pop()!;
      await store.dispose?.();
      await store.close();
    }
  });
  const adopt = <T extends Closable>(store: T): T => {
    opened.push(store);
    return store;
  };
  return { fresh: async () => adopt(await open()), adopt };
}
