// The stream processor core: events in, closed windows (rollups) and statuses out. Pure — no clock,
// no I/O; event time only. One instance per transport partition. Here: which window an event goes
// to (or a correction, or nothing), windows closed, rolled up and emitted; the counting of an event
// into its scopes is event-counting.ts's, the judging of scopes status-evaluation.ts's.
import type { Resolution, RollupRecord, ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import { APP, DNS, encodeCell, HEALTH, LOGON, METRICS, NET, WIFI } from './cell.ts';
import { CellColumns, type ScopeParts } from './cell-columns.ts';
import { resolveConfig, type ProcessorConfig } from './config.ts';
import { COARSE, ProcessorState, WindowCells, type ProcessorCounters } from './processor-state.ts';
import type { DeviceContext } from './scope-registry.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { IncrementalSnapshot, type SnapshotDraft, type SnapshotPart } from './snapshot-parts.ts';
import { EventCounter } from './event-counting.ts';
import { StatusEvaluator } from './status-evaluation.ts';
import { StatusHorizon } from './status-horizon.ts';
import { carryToHour, rollUpMinute, type RollUpTargets } from './roll-up.ts';
import { statusEvaluationDue } from './status-schedule.ts';
import { windowStart } from './window.ts';

export { WindowCells, type ProcessorCounters } from './processor-state.ts';

export type AddOutcome = 'counted' | 'late' | 'corrected' | 'too-late' | 'duplicate';

export interface ProcessorOutput {
  /** Windows that became final: 1m, and 5m/1h when complete. */
  rollups: RollupRecord[];
  /**
   * Late corrections: rollups of events that came after their windows had been emitted (within the
   * correction horizon), for windows whose rows may already be stored — at every resolution the scope
   * is kept at. Unlike `rollups` these are increments: the writer must MERGE each into the stored row
   * of the same (scope, metric, resolution, start) — counts add, sketches merge — or into the row of
   * the same key in `rollups` when this output carries one; a missing row counts as empty. At most one
   * record per key per output. Corrections for 5-minute and hourly windows that are still open are not
   * here: they join the live window and leave in `rollups` when it is final.
   */
  corrections: RollupRecord[];
  /**
   * Statuses to publish from the evaluation this advance made, if any (status-publishing.ts): every
   * scope whose status or reason changed, at a window's end every scope whose figures changed at all,
   * between window ends a site whose figures moved past the tolerance, and any scope not published
   * for `statusRefreshMs` (config). `statuses()` has them all.
   */
  statuses: ScopeStatus[];
  /**
   * The event time this advance's evaluation judged every scope as of (undefined: none ran). What the
   * runtime publishes as the partition's live edge (LiveEdge): the time of every site of it on the
   * board, published or not.
   */
  evaluatedTo?: number;
  watermark: number;
}

export interface AdvanceOptions {
  /**
   * Keep pending corrections for a later advance instead of emitting them now (a writer that can only
   * merge them together with a checkpoint asks for them when one is due). They stay in the state and
   * in its snapshots meanwhile.
   */
  holdCorrections?: boolean;
  /**
   * False: windows close and corrections leave, but no status evaluation runs (a runtime whose source
   * marks how far it has delivered evaluates at those marks, `liveTo`, instead). Default true.
   */
  statuses?: boolean;
}

/** Metrics the status horizon merges per scope. */
const STATUS_METRICS = [APP, LOGON, WIFI, NET, HEALTH, DNS];

export class StreamProcessor {
  readonly config: ProcessorConfig;
  /** What a snapshot keeps (processor-state.ts); everything else here is derived from it. */
  private state: ProcessorState;
  private cachedWindow: WindowCells | undefined = undefined;
  /** Running cells over the latest evaluation's horizon (derived state: rebuilt after a restore). */
  private readonly horizon: StatusHorizon;
  /** Counts each event into its scopes (event-counting.ts). */
  private readonly counter: EventCounter;
  /** Judges scopes and says which statuses to publish (status-evaluation.ts). */
  private readonly evaluator: StatusEvaluator;
  /** Which windows' parts the store holds (incremental checkpoints). */
  private parts = new IncrementalSnapshot();
  /** The columns of the latest live window made: a new set is sized like them. */
  private lastColumns: CellColumns | undefined = undefined;
  /** Columns of windows gone (out of the state and the horizon), for new windows to count into. */
  private spareColumns: CellColumns[] = [];

  constructor(config?: Partial<ProcessorConfig>) {
    this.config = resolveConfig(config);
    this.state = ProcessorState.empty(this.config.watermarkLagMs);
    this.horizon = new StatusHorizon(this.config.windowMs, this.config.statusHorizonMs, STATUS_METRICS);
    this.counter = new EventCounter(this.config.thresholds, this.horizon, STATUS_METRICS);
    this.evaluator = new StatusEvaluator(this.config, this.horizon);
  }

  get watermark(): number {
    return this.state.clock.value;
  }

  get counters(): ProcessorCounters {
    return { ...this.state.counts };
  }

  /**
   * Counts an event. `receivedAt` is the receiving clock when the event arrived (the runtime's clock,
   * simulated in demo mode): an event ahead of it by more than `futureToleranceMs` is still counted at
   * its own time, but moves the watermark only as far as that bound, so a device whose clock runs
   * ahead cannot close everyone else's windows early. Without it (tests, replays), nothing is capped.
   */
  add(event: TelemetryEvent, receivedAt?: number): AddOutcome {
    const { config } = this;
    const { registry } = this.state;
    const ctx = registry.device(event.device, event.trust, event.site, event.ward);
    const verdict = ctx.replay.accept(event.seq, event.ts);
    if (verdict === 'duplicate') {
      this.state.counts.duplicates++;
      return 'duplicate';
    }
    if (verdict === 'restart') this.state.counts.seqResets++;
    const ts = event.ts;
    if (event.skewMs !== undefined && !(ctx.skewAt! > ts)) {
      ctx.skewMs = event.skewMs;
      ctx.skewAt = ts;
    }
    const watermark = this.state.clock.value;
    const start = windowStart(ts, config.windowMs);
    if (start + config.windowMs + config.allowedLatenessMs <= watermark) return this.correct(ctx, event, start, watermark);
    const cap = receivedAt === undefined ? Infinity : receivedAt + config.futureToleranceMs;
    this.state.clock.observe(ts < cap ? ts : cap, receivedAt === undefined || ts <= receivedAt ? ts : receivedAt);
    let window = this.cachedWindow;
    if (!window || window.start !== start) {
      window = this.state.windows.get(start);
      if (!window) {
        window = new WindowCells(start, this.freshColumns());
        this.state.windows.set(start, window);
        // The first evaluation: at the first tick after the first event (the end of its window by
        // default) — not the window's end whatever the interval, which left a fresh processor with
        // 1-second ticks publishing nothing for up to a minute.
        if (this.state.nextDueEnd === -Infinity) {
          const interval = config.statusIntervalMs ?? config.windowMs;
          this.state.nextDueEnd = windowStart(ts, interval) + interval;
        }
      }
      this.cachedWindow = window;
    }
    this.counter.count(window, this.state.registry, ctx, event, ts);
    const late = ts < watermark;
    if (late) this.state.counts.late++;
    else this.state.counts.counted++;
    return late ? 'late' : 'counted';
  }

  advance(options?: AdvanceOptions): ProcessorOutput {
    const watermark = this.state.clock.value;
    const output: ProcessorOutput = { rollups: [], corrections: [], statuses: [], watermark };
    if (watermark === -Infinity) return output;
    const { windowMs, allowedLatenessMs } = this.config;
    const interval = this.config.statusIntervalMs ?? windowMs;

    // Live statuses: at most one evaluation per advance, once the live edge — the newest event time
    // received, not the watermark: windows close by the watermark, but a live view shows what has been
    // counted as soon as it is counted — has passed the next status tick (status-schedule.ts: a window
    // end by default; a shorter interval takes in the window still filling, as of the live edge).
    const liveEdge = this.state.clock.liveEdge;
    const due = options?.statuses === false ? undefined : statusEvaluationDue(liveEdge, this.state.nextDueEnd, windowMs, interval);
    if (due) {
      output.statuses = this.evaluator.evaluate(due.end, this.state);
      output.evaluatedTo = due.end;
      this.state.nextDueEnd = due.nextDueEnd;
    }

    // Final windows: emitted once, merged into their 5-minute and hourly windows. In start order — but
    // a window becomes final once a minute, and the demo advances every partition four times a second:
    // the sorted copy of the starts is made only when one is due.
    const starts = this.finalDue(watermark) ? [...this.state.windows.keys()].sort((a, b) => a - b) : NONE_DUE;
    for (const start of starts) {
      const window = this.state.windows.get(start)!;
      if (window.final) continue;
      if (start + windowMs + allowedLatenessMs > watermark) break;
      window.final = true;
      window.revision++;
      this.emit(window, '1m', output.rollups);
      rollUpMinute(window, this.rollUpTargets(this.liveCoarse('5m', start), this.liveCoarse('1h', start)));
    }
    // Before the coarse windows leave: a correction for one still open joins it.
    if (this.state.corrections.size > 0 && !options?.holdCorrections) this.emitCorrections(watermark, output.corrections);
    for (const [resolution, size] of COARSE) {
      const byStart = this.state.coarse.get(resolution)!;
      // By value (a window knows its start): for…of over the entries made an array for each, at every advance.
      for (const coarse of byStart.values()) {
        if (coarse.start + size + allowedLatenessMs <= watermark) {
          this.emit(coarse, resolution, output.rollups);
          // Before the hours leave (this loop reaches them after every 5-minute window).
          if (coarse.carriesToHour) carryToHour(coarse, this.liveCoarse('1h', coarse.start), this.config.deviceResolutions.includes('1h'));
          byStart.delete(coarse.start);
        }
      }
    }

    const keepFrom = this.finalKeptFrom();
    for (const window of this.state.windows.values()) {
      if (window.final && window.start < keepFrom) {
        this.state.windows.delete(window.start);
        // Out of the horizon too (it was, unless a horizon never slid past it): nothing reads its columns now.
        if (window.columns && !window.inHorizon) this.spareColumns.push(window.columns);
        if (this.cachedWindow === window) this.cachedWindow = undefined;
      }
    }
    this.state.registry.forget(watermark - this.config.forgetAfterMs);
    return output;
  }

  /**
   * The source has delivered every event before `time` (the demo's simulator says so after each
   * round): live figures reach it, as they would with an event of that time — a partition with no
   * events in the round moves on with the others — and the windows still close by the watermark. Then
   * advances.
   */
  liveTo(time: number, options?: AdvanceOptions): ProcessorOutput {
    this.state.clock.reach(time);
    return this.advance(options);
  }

  /** Raises the watermark (never lowers it) when the source is idle, then advances. */
  advanceTo(eventTime: number, options?: AdvanceOptions): ProcessorOutput {
    this.state.clock.advanceTo(eventTime);
    return this.advance(options);
  }

  /** Columns for a new live window: a set of a window gone, emptied, or a new set sized like the last. */
  private freshColumns(): CellColumns {
    const spare = this.spareColumns.pop();
    if (spare) {
      // Kept: a window or two gone each minute, one taken.
      this.spareColumns.length = Math.min(this.spareColumns.length, 1);
      spare.clear();
      return (this.lastColumns = spare);
    }
    return (this.lastColumns = new CellColumns(this.lastColumns));
  }

  /**
   * Final windows are kept only while a status horizon can still see them — the latest evaluation's
   * (while it holds any window), or one at the live edge, whichever reaches further back (a window
   * that straddles the horizon's start still counts: one more is kept). Those starting before this
   * time go. Before the first evaluation — a backlog or the demo's backfill read with statuses held —
   * only the live edge's horizon counts: keeping every window since the first event until then held
   * the demo's whole backfill at once (an hour of each partition's windows, where 17 are read).
   */
  private finalKeptFrom(): number {
    const { windowMs, statusHorizonMs } = this.config;
    const interval = this.config.statusIntervalMs ?? windowMs;
    const evaluationEnd = windowStart(this.state.clock.liveEdge, interval);
    const evaluated = this.horizon.holdsNone ? Infinity : this.state.nextDueEnd - interval;
    return Math.min(evaluated, evaluationEnd) - statusHorizonMs - windowMs;
  }

  /** Whether a window not yet final is final by `watermark` (its end and the allowed lateness passed). */
  private finalDue(watermark: number): boolean {
    const { windowMs, allowedLatenessMs } = this.config;
    for (const window of this.state.windows.values()) if (!window.final && window.start + windowMs + allowedLatenessMs <= watermark) return true;
    return false;
  }

  /** Whether corrections are waiting for an advance that emits them. */
  get pendingCorrections(): boolean {
    return this.state.corrections.size > 0;
  }

  /** Makes every window final and emits it: end of stream. */
  flush(): ProcessorOutput {
    let latest = -Infinity;
    for (const start of this.state.windows.keys()) latest = Math.max(latest, start);
    if (latest === -Infinity) return this.advance();
    return this.advanceTo(windowStart(latest, 3_600_000) + 3_600_000 + this.config.allowedLatenessMs);
  }

  /**
   * The latest status of every scope: as of the latest evaluation for the scopes it judged (all of
   * them at a window's end), as of the one before for the others, unchanged since.
   */
  statuses(): ScopeStatus[] {
    return this.evaluator.statuses();
  }

  /** The whole state in one snapshot. */
  snapshot(): Uint8Array {
    return writeSnapshot(this.state);
  }

  /**
   * An incremental checkpoint (snapshot-parts.ts): a head, and a part for each window changed since
   * the store last held it. `commit()` it once the store holds it.
   */
  checkpoint(): SnapshotDraft {
    return this.parts.draft(this.state);
  }

  /** From a whole snapshot, or from a checkpoint's head and its parts. */
  static restore(bytes: Uint8Array, config?: Partial<ProcessorConfig>, parts?: readonly SnapshotPart[]): StreamProcessor {
    const processor = new StreamProcessor(config);
    if (parts) {
      const read = IncrementalSnapshot.read(bytes, parts, processor.config.watermarkLagMs);
      processor.state = read.state;
      processor.parts = read.writer;
    } else {
      processor.state = readSnapshot(bytes, processor.config.watermarkLagMs);
    }
    return processor;
  }

  /**
   * An event whose window is final: within the correction horizon it is counted — by the same
   * aggregation as live events — into a correction window of its minute, which leaves as increments
   * for the stored rows; beyond it, too late. While the status horizon can still see its minute it is
   * counted into that final minute too, so the live figures over "the last 15 minutes" hold what is
   * known of them — an agent's spool flushed after a ten-minute Wi-Fi outage brings that outage's
   * failed checks into the ward's availability now, not only into its history. (A final minute is
   * never emitted again: the store gets the event once, by the correction.)
   */
  private correct(ctx: DeviceContext, event: TelemetryEvent, start: number, watermark: number): AddOutcome {
    if (event.ts < watermark - this.config.correctionHorizonMs) {
      this.state.counts.tooLate++;
      return 'too-late';
    }
    let window = this.state.corrections.get(start);
    if (!window) this.state.corrections.set(start, (window = new WindowCells(start)));
    // Live state is left as it was: the device's current access point, and the scopes' last-seen times
    // (seen at −∞). Their `heardAt` keeps the device — and its dedup state — from being forgotten.
    const { ap, apScope } = ctx;
    this.counter.count(window, this.state.registry, ctx, event, -Infinity);
    const seen = this.finalMinuteSeen(start);
    if (seen) this.counter.count(seen, this.state.registry, ctx, event, -Infinity);
    ctx.ap = ap;
    ctx.apScope = apScope;
    const ts = event.ts;
    for (const scope of [ctx.siteScope, ctx.wardScope, ctx.deviceScope]) if (!(scope.heardAt! >= ts)) scope.heardAt = ts;
    this.state.counts.corrected++;
    return 'corrected';
  }

  /**
   * The final minute starting at `start` while a status horizon can still see it (made, final, when
   * no event of it came in time: a whole partition's outage flushed later), else undefined.
   */
  private finalMinuteSeen(start: number): WindowCells | undefined {
    const held = this.state.windows.get(start);
    // A minute final by the watermark but not yet by an advance leaves whole at the next one: the
    // correction alone carries the event to the store, and the horizon does without it.
    if (held) return held.final ? held : undefined;
    if (start < this.finalKeptFrom()) return undefined;
    const window = new WindowCells(start);
    window.final = true;
    this.state.windows.set(start, window);
    return window;
  }

  /**
   * Emits the pending corrections: each 1-minute correction window as it is, and rolled up into its
   * 5-minute and hourly windows — into the live one while that is open (it has never been emitted,
   * so it leaves whole in `rollups` when final), else into a correction window of that resolution.
   * A coarse window final by the watermark and absent from `coarse` has been emitted already (or never
   * had live events): the watermark only grows, so it cannot reopen.
   */
  private emitCorrections(watermark: number, into: RollupRecord[]): void {
    const { allowedLatenessMs } = this.config;
    const coarseCorrections = new Map<Resolution, Map<number, WindowCells>>();
    for (const window of this.state.corrections.values()) {
      this.emit(window, '1m', into);
      const targets: WindowCells[] = [];
      for (const [resolution, size] of COARSE) {
        const coarseStart = windowStart(window.start, size);
        const live = this.state.coarse.get(resolution)!;
        let target = live.get(coarseStart);
        if (!target && coarseStart + size + allowedLatenessMs > watermark) target = this.liveCoarse(resolution, window.start);
        if (!target) {
          // (A correction window of 5 minutes never carries to the hour: it leaves below, as it is.)
          let byStart = coarseCorrections.get(resolution);
          if (!byStart) coarseCorrections.set(resolution, (byStart = new Map()));
          target = byStart.get(coarseStart);
          if (!target) byStart.set(coarseStart, (target = new WindowCells(coarseStart)));
        }
        targets.push(target);
      }
      rollUpMinute(window, this.rollUpTargets(targets[0]!, targets[1]!));
    }
    for (const [resolution, byStart] of coarseCorrections) for (const window of byStart.values()) this.emit(window, resolution, into);
    this.state.corrections.clear();
  }

  /**
   * The live 5-minute or hourly window holding `time`, made when missing — a new 5-minute window
   * carries its minutes to the hour (roll-up.ts).
   */
  private liveCoarse(resolution: Resolution, time: number): WindowCells {
    const start = windowStart(time, COARSE_SIZE.get(resolution)!);
    const byStart = this.state.coarse.get(resolution)!;
    let window = byStart.get(start);
    if (!window) {
      byStart.set(start, (window = new WindowCells(start)));
      window.carriesToHour = resolution === '5m';
    }
    return window;
  }

  private rollUpTargets(five: WindowCells, hour: WindowCells): RollUpTargets {
    const kept = this.config.deviceResolutions;
    return { five, fiveDevices: kept.includes('5m'), hour, hourDevices: kept.includes('1h') };
  }

  private emit(window: WindowCells, resolution: Resolution, into: RollupRecord[]): void {
    window.eachScope(emitScope, { devicesToo: this.config.deviceResolutions.includes(resolution), resolution, start: window.start, into });
  }
}

/** A window's rollups, scope by scope (emit's visitor: CellColumns.eachScope says why not a closure). */
function emitScope(scope: string, parts: ScopeParts, { devicesToo, resolution, start, into }: { devicesToo: boolean; resolution: Resolution; start: number; into: RollupRecord[] }): void {
  if (!devicesToo && scope.startsWith('device:')) return;
  for (let m = 0; m < METRICS.length; m++) {
    const cell = parts.part(m);
    if (!cell) continue;
    into.push({ scope, metric: METRICS[m]!, resolution, start, count: cell.count, valid: cell.valid, good: cell.good, fast: cell.fast, sketch: encodeCell(cell) });
  }
}

/** Each coarse resolution's window size (processor-state.ts's COARSE). */
const COARSE_SIZE = new Map(COARSE);
/** No window final at this advance. */
const NONE_DUE: readonly number[] = [];
