// Writes the demo history into the store at start, newest day first (the Evidence page's recent
// months and the before-and-after windows are there soonest), with the demo's annotations.
import type { AnnotationStore, RollupStore } from '@wardwatch/store';
import type { Estate } from '@wardwatch/simulator';
import type { ProcessorConfig } from '@wardwatch/processor';
import type { LogonChange } from '@wardwatch/simulator';
import { DEMO_SSO_FACTOR, DemoHistory, demoStory } from './demo-history.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DemoHistoryRun {
  /** Settles when every day is written (or the run was stopped): rows and days written. */
  done: Promise<{ rows: number; days: number; ms: number }>;
  /** Stops after the day being written; resolves when it has. */
  stop(): Promise<void>;
}

export interface DemoHistoryRunOptions {
  store: RollupStore & AnnotationStore;
  estate: Estate;
  seed: number;
  /** History ends here (rounded down to the hour): where live data begins. */
  to: number;
  /** Calendar months before the current one to cover, whole (default 2: with the current one, three months). */
  months: number;
  processor?: Partial<ProcessorConfig>;
  scopeKinds?: readonly string[];
  metrics?: readonly string[];
  /** Wall clock for createdAt and the timing (default Date.now). */
  now?: () => number;
}

/** The first instant of the UTC month `months` before the month of `at`, less a day (London months start up to an hour earlier). */
export function historyStart(at: number, months: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1) - DAY;
}

export function startDemoHistory(options: DemoHistoryRunOptions): DemoHistoryRun {
  const now = options.now ?? Date.now;
  let stopped = false;
  const done = (async () => {
    const began = now();
    const to = options.to - (options.to % HOUR);
    const from = historyStart(to, options.months);
    const story = demoStory(options.estate, to);
    const history = new DemoHistory({ estate: options.estate, seed: options.seed, from, to, processor: options.processor, scopeKinds: options.scopeKinds, metrics: options.metrics, changes: story.changes, maintenance: story.maintenance });
    for (const a of story.annotations) await options.store.addAnnotation({ ...a, createdAt: now() });
    let rows = 0;
    let days = 0;
    for (let dayEnd = to; dayEnd > from && !stopped; dayEnd -= Math.min(DAY, dayEnd - from)) {
      const dayStart = Math.max(from, dayEnd - DAY);
      const records = history.hours(dayStart, dayEnd);
      await options.store.write(records);
      rows += records.length;
      days++;
      // Let the server answer between days.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { rows, days, ms: now() - began };
  })();
  return {
    done,
    async stop() {
      stopped = true;
      await done.catch(() => undefined);
    },
  };
}

/**
 * The demo story's logon changes for live data: those the first run recorded (a restart keeps the
 * same SSO date), else the story's for a history ending at `to` when one is about to be written.
 */
export async function demoLogonChanges(store: AnnotationStore, estate: Estate, to: number, writing: boolean): Promise<LogonChange[]> {
  const recorded = (await store.annotations({ trust: estate.trust.id, kind: 'change' })).filter((a) => a.id.startsWith('demo-sso-') && a.scope.startsWith('site:'));
  if (recorded.length > 0) return recorded.map((a) => ({ site: a.scope.slice('site:'.length), at: a.start, logonFactor: DEMO_SSO_FACTOR }));
  return writing ? demoStory(estate, to - (to % HOUR)).changes : [];
}
