// Writes the demo history into the store at start, newest day first (the Evidence page's recent
// months and the before-and-after windows are there soonest), with the demo's annotations.
import { addMonths, londonMonth, monthOf } from '@wardwatch/evidence';
import type { AnnotationStore, RollupRecord, RollupStore } from '@wardwatch/store';
import type { Estate } from '@wardwatch/simulator';
import type { ProcessorConfig } from '@wardwatch/processor';
import type { LogonChange } from '@wardwatch/simulator';
import { DEMO_SSO_FACTOR, DemoHistory, demoStory } from './demo-history.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DemoHistoryRun {
  /** Settles when every day is written (or the run was stopped): rows and days written. */
  done: Promise<{ rows: number; days: number; ms: number }>;
  /**
   * Resolves once the history holds its newest `ms` (or all of it, or the run has ended however it
   * ended): the SLOs' longest alert window, before a first start's alerts are evaluated.
   */
  writtenBack(ms: number): Promise<void>;
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
  /** Told how far back from its end the history is written: once at the start, then after each day. */
  onWritten?: (backMs: number) => void;
  /**
   * Nothing is written before this settles: the history is made ready (its templates and its newest
   * day drawn, most of its first second) and waits — while a start's backfill is written alone.
   */
  gate?: Promise<void>;
}

/**
 * The first instant of the London month `months` before the month of `at`: the evidence pack's months
 * are London's, so the history covers them whole and begins no part month before them.
 */
export function historyStart(at: number, months: number): number {
  return londonMonth(addMonths(monthOf(at), -months)).from;
}

/**
 * Where the history stands, written with each day in the same transaction as its rows: a first run
 * stopped before the last day (Ctrl-C while the months are written: seconds for the default trust,
 * minutes for hundreds of sites) leaves the rest to the next start, which finishes it
 * (resumeDemoHistory) — else the evidence pack's earlier months stay part-filled for good.
 */
const PROGRESS = { group: 'wardwatch-demo-history', topic: 'history', partition: 0 } as const;

interface HistoryProgress {
  /** The history's end and length as the first run chose them: the same rows, whoever writes them. */
  to: number;
  months: number;
  /** End of the next day to write, newest first; the history's start once it is all written. */
  next: number;
}

export function startDemoHistory(options: DemoHistoryRunOptions): DemoHistoryRun {
  return writeHistory(options, undefined);
}

/**
 * Finishes a history an earlier run began and did not end, from the day it stopped before (its
 * annotations are already stored); undefined when there is none to finish.
 */
export async function resumeDemoHistory(options: Omit<DemoHistoryRunOptions, 'to' | 'months'>): Promise<DemoHistoryRun | undefined> {
  const progress = await unfinished(options.store);
  return progress && writeHistory({ ...options, to: progress.to, months: progress.months }, progress.next);
}

/** Whether an earlier run began a history and did not write it whole (resumeDemoHistory finishes it). */
export async function demoHistoryUnfinished(store: RollupStore): Promise<boolean> {
  return (await unfinished(store)) !== undefined;
}

async function unfinished(store: RollupStore): Promise<HistoryProgress | undefined> {
  const stored = await store.checkpoint(PROGRESS.group, PROGRESS.topic, PROGRESS.partition);
  if (!stored) return undefined;
  const progress = JSON.parse(stored.offset) as HistoryProgress;
  return progress.next > historyStart(progress.to, progress.months) ? progress : undefined;
}

function writeHistory(options: DemoHistoryRunOptions, resumeAt: number | undefined): DemoHistoryRun {
  const now = options.now ?? Date.now;
  let stopped = false;
  const back = new WrittenBack();
  const written = (backMs: number) => {
    back.reached(backMs);
    options.onWritten?.(backMs);
  };
  const done = (async () => {
    const to = options.to - (options.to % HOUR);
    const from = historyStart(to, options.months);
    const story = demoStory(options.estate, to);
    const history = new DemoHistory({ estate: options.estate, seed: options.seed, from, to, processor: options.processor, scopeKinds: options.scopeKinds, metrics: options.metrics, changes: story.changes, maintenance: story.maintenance });
    const newest = resumeAt ?? to;
    let drawn: RollupRecord[] | undefined = newest > from ? history.hours(Math.max(from, newest - DAY), newest) : undefined;
    await options.gate;
    const began = now();
    if (resumeAt === undefined) {
      for (const a of story.annotations) await options.store.addAnnotation({ ...a, createdAt: now() });
      // Begun, with no day written: a stop before the first leaves the whole history to the next start.
      await options.store.write([], { ...PROGRESS, offset: JSON.stringify({ to, months: options.months, next: to } satisfies HistoryProgress), state: null });
    }
    let rows = 0;
    let days = 0;
    // A history resumed has its newest days already.
    written(to - newest);
    for (let dayEnd = newest; dayEnd > from && !stopped; dayEnd -= Math.min(DAY, dayEnd - from)) {
      const dayStart = Math.max(from, dayEnd - DAY);
      const records = drawn ?? history.hours(dayStart, dayEnd);
      drawn = undefined;
      const progress: HistoryProgress = { to, months: options.months, next: dayStart };
      await options.store.write(records, { ...PROGRESS, offset: JSON.stringify(progress), state: null });
      rows += records.length;
      days++;
      written(to - dayStart);
      // Let the server answer between days.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { rows, days, ms: now() - began };
  })();
  back.endWith(done);
  return {
    done,
    writtenBack: (ms) => back.when(ms),
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

/**
 * How far back from its end a history is written, and who waits for how far (DemoHistoryRun's
 * writtenBack): each resolved once it is reached, or once the run has ended.
 */
export class WrittenBack {
  private backMs = 0;
  private ended = false;
  private readonly waiting: Array<{ ms: number; resolve: () => void }> = [];

  reached(backMs: number): void {
    this.backMs = Math.max(this.backMs, backMs);
    this.settle();
  }

  /** Ends once `done` settles, however it settles: nobody waits on a run that is over. */
  endWith(done: Promise<unknown>): void {
    const end = () => {
      this.ended = true;
      this.settle();
    };
    void done.then(end, end);
  }

  when(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ ms, resolve });
      this.settle();
    });
  }

  private settle(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const wait = this.waiting[i]!;
      if (this.ended || this.backMs >= wait.ms) {
        this.waiting.splice(i, 1);
        wait.resolve();
      }
    }
  }
}
