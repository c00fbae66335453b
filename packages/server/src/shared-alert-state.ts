// Silences and alert assignments shared by every server on one store. Each server keeps them in its
// alert book, which a change made through it updates at once; one made through another server (a
// load balancer in front of several) reaches it here, read from the store every few seconds — so a
// silence holds the notifying server's pages, and every server's alerts page shows the same silences
// and assignees, within that time of the change wherever it was made. The first read, before a
// server serves, is what brings back the silences and assignments made before a restart.
import type { AlertAssignment } from '@wardwatch/schema';
import type { AssignmentStore, SilenceStore } from '@wardwatch/store';
import type { SloEvaluator } from './slo-evaluator.ts';

/** What the servers share of the store here: only read. */
export type SharedAlertStore = Pick<SilenceStore, 'storedSilences'> & Pick<AssignmentStore, 'storedAssignments'>;

/** How often a server reads the stored silences and assignments. */
export const SHARED_ALERT_STATE_INTERVAL_MS = 5_000;

/**
 * Reads the stored silences and assignments once and makes the book's the same. Skipped (false)
 * when the book changed while the store was read: that change, stored before it was booked, may be
 * missing from what was read; the next read has it.
 */
export async function readSharedAlertState(evaluator: Pick<SloEvaluator, 'book' | 'now'>, kept: SharedAlertStore): Promise<boolean> {
  const before = evaluator.book.changes;
  const now = evaluator.now();
  const [silences, stored] = await Promise.all([kept.storedSilences(now), kept.storedAssignments()]);
  if (evaluator.book.changes !== before) return false;
  const assignments = new Map<string, AlertAssignment>(stored.map(({ fingerprint, assignment }) => [fingerprint, assignment]));
  evaluator.book.replaceShared(silences, assignments, now);
  return true;
}

/** Reads the shared state every `intervalMs` until stopped; a failed read is reported and tried again at the next. */
export function followSharedAlertState(
  evaluator: Pick<SloEvaluator, 'book' | 'now'>,
  kept: SharedAlertStore,
  onError: (error: unknown) => void,
  intervalMs = SHARED_ALERT_STATE_INTERVAL_MS,
): { stop(): Promise<void> } {
  let reading: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    reading = reading.then(() => readSharedAlertState(evaluator, kept)).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await reading;
    },
  };
}
