// The running status horizon against the merge it replaces. A processor restored from a snapshot
// starts with no running cells and builds them by merging the windows inside the horizon, exactly as
// every evaluation used to; the live processor has kept them by adding and subtracting since the
// start. Over random event streams — late events, gaps, bursts that turn cells into sketches, values
// wide enough to collapse a sketch's lowest bins, any status cadence — both must publish the same
// statuses, figure for figure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import { Cell } from './cell.ts';
import { WindowCells } from './processor-state.ts';
import { ALL_METRICS, HorizonCell, StatusHorizon, type HorizonSlot } from './status-horizon.ts';
import { DEFAULT_FIGURE_TOLERANCE, figuresChanged, figuresMovedPast, sameWording } from './status-publishing.ts';
import { StreamProcessor } from './stream-processor.ts';
import { MIN, T0 } from './test-events.fixture.ts';

const DEVICES = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6'];
const APS = ['3c:a8:2a:00:00:01', '3c:a8:2a:00:00:02', '3c:a8:2a:00:00:03'];

interface Step {
  /** Event time moves on by this much before the step's events (ms). */
  advanceMs: number;
  events: Array<{ device: number; kind: 'app' | 'logon' | 'wifi' | 'net' | 'health'; offsetMs: number; value: number; ok: boolean; ap: number; app: number }>;
}

const value = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 50, max: 5_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 30_000, max: 200_000 }) },
  // Far apart enough that a sketch holding both collapses its lowest bins.
  { weight: 1, arbitrary: fc.constantFrom(1e-3, 1e15, 1e16, 0) },
);

const step: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 20_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 20 * MIN }) }),
  events: fc.array(
    fc.record({
      device: fc.nat(DEVICES.length - 1),
      kind: fc.constantFrom('app', 'app', 'app', 'logon', 'wifi', 'net', 'health'),
      // Mostly around "now"; some minutes behind (late, or corrections past the lateness).
      offsetMs: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -15_000, max: 0 }) }, { weight: 1, arbitrary: fc.integer({ min: -5 * MIN, max: 0 }) }),
      value,
      ok: fc.nat(9).map((n) => n < 8),
      ap: fc.nat(APS.length - 1),
      app: fc.nat(2),
    }),
    // Some steps big enough to pass a cell's 64 exact values in one minute.
    { maxLength: 120 },
  ),
});

function event(e: Step['events'][number], ts: number, seq: number): TelemetryEvent {
  const device = DEVICES[e.device]!;
  const where = { v: 1 as const, id: `h-${device}-${seq}`, seq, ts, trust: 'RXX', site: e.device < 3 ? 'S1' : 'S2', ward: e.device % 2 ? 'W1' : 'W2', device, ap: APS[e.ap]! };
  switch (e.kind) {
    case 'app':
      return { ...where, kind: 'app', body: { app: ['epr', 'pacs', 'email'][e.app]!, ok: e.ok, totalMs: e.value, ...(e.ok ? {} : { error: 'timeout' as const }), dnsMs: e.value / 10 } };
    case 'logon':
      return { ...where, kind: 'logon', body: { ok: e.ok, totalMs: e.value } };
    case 'wifi':
      return { ...where, kind: 'wifi', body: { connected: e.ok, bssid: where.ap, signalDbm: -30 - (e.value % 60) } };
    case 'net':
      return { ...where, kind: 'net', body: { target: 'gateway', rttMs: e.value, lossPct: e.ok ? 0 : 5 } };
    case 'health':
      return { ...where, kind: 'health', body: { cpuPct: e.value % 100, memPct: 50, diskFreePct: 40, uptimeS: 600 } };
  }
}

describe('the running status horizon', () => {
  it('publishes the same statuses as merging the horizon’s windows afresh, over random streams and cadences', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), fc.constantFrom(undefined, 5_000, 15_000, 60_000), (steps, statusIntervalMs) => {
        const config = { watermarkLagMs: 30_000, allowedLatenessMs: 60_000, statusHorizonMs: 15 * MIN, ...(statusIntervalMs ? { statusIntervalMs } : {}) };
        const live = new StreamProcessor(config);
        let now = T0;
        let seq = 0;
        for (const s of steps) {
          now += s.advanceMs;
          for (const e of s.events) live.add(event(e, now + e.offsetMs, ++seq), now);
          // The merge, as it was: a processor restored here has no running cells and merges the windows.
          const merged = StreamProcessor.restore(live.snapshot(), config);
          const evaluatedTo = live.advance().evaluatedTo;
          expect(merged.advance().evaluatedTo).toBe(evaluatedTo);
          if (evaluatedTo === undefined) continue;
          // The twin judged every scope; the live processor, between window ends, only those whose
          // cells changed (the rest keep their last status): those it judged must agree exactly, and
          // at a window's end it judges them all.
          const end = evaluatedTo;
          expect(merged.statuses()[0]!.asOf).toBe(end);
          const twin = new Map(merged.statuses().map((s) => [s.key, s]));
          const judged = live.statuses().filter((s) => s.asOf === end);
          if (end % MIN === 0) expect(judged).toHaveLength(twin.size);
          for (const status of judged) expect(status).toEqual(twin.get(status.key));
          // Those it left had nothing new: the twin finds the same figures for them (bar a clock
          // skew, which leaves with time and is caught at the next window's end).
          const figuresOf = ({ clockSkewMs: _skew, ...rest }: ScopeStatus['figures']) => rest;
          for (const status of live.statuses()) {
            if (status.asOf !== end) expect(figuresOf(status.figures), status.key).toEqual(figuresOf(twin.get(status.key)!.figures));
          }
          compared += judged.length;
        }
      }),
      { numRuns: 150, seed: 20261130 },
    );
    // The runs did evaluate: thousands of statuses compared, not a vacuous pass.
    expect(compared).toBeGreaterThan(5_000);
  });
});

describe('HorizonCell', () => {
  const cellOf = (values: number[], failed = 0) => {
    const cell = new Cell();
    for (const v of values) cell.add(v, true, v < 2000);
    for (let i = 0; i < failed; i++) cell.add(NaN, false, false);
    return cell;
  };
  const merged = (parts: Cell[]) => {
    const cell = new Cell();
    for (const part of parts) cell.mergeFrom(part);
    return cell;
  };
  const figures = (cell: Cell) => ({ valid: cell.valid, good: cell.good, fast: cell.fast, count: cell.count, q: [0, 0.5, 0.95, 1].map((q) => cell.quantile(q)) });
  const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

  it.each([
    ['exact values, one part out', [range(10, (i) => 100 + i), range(20, (i) => 300 + i * 7)], 0],
    ['a sketch, back to exact values when few are left', [range(60, (i) => 100 + i), range(30, (i) => 5000 + i)], 1],
    ['a sketch that stays one', [range(200, (i) => 100 + i * 3), range(80, (i) => 900 + i)], 0],
    ['a sketch whose lowest bins collapsed', [[1e-3, ...range(70, (i) => 50 + i)], [1e16, ...range(10, (i) => 3 + i)]], 1],
  ])('%s: adds and subtracts to what a merge of the rest gives', (_label, parts, out) => {
    const cells = parts.map((values, i) => cellOf(values, i));
    const running = new HorizonCell();
    for (const part of cells) running.mergeFrom(part);
    const rest = cells.filter((_, i) => i !== out);
    if (!running.subtract(cells[out]!)) running.rebuild(rest);
    expect(figures(running)).toEqual(figures(merged(rest)));
  });
});

describe('publishing changes, not snapshots', () => {
  it('a board fed only what is published — statuses and the live edge — agrees with the latest evaluation: same statuses and reasons (their numbers as the figures) at every tick, the same figures and reasons at each window’s end, a site’s within the tolerance between them and as of the edge, never older than the refresh', () => {
    let published = 0;
    let evaluated = 0;
    let sitesJudged = 0;
    let sitesPublished = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), fc.constantFrom(5_000, 15_000, 60_000), (steps, statusIntervalMs) => {
        const config = { watermarkLagMs: 30_000, allowedLatenessMs: 60_000, statusIntervalMs, statusRefreshMs: 5 * MIN, partition: 4 };
        const p = new StreamProcessor(config);
        const board = new Map<string, ScopeStatus>();
        let edge = -Infinity;
        let now = T0;
        let seq = 0;
        for (const s of steps) {
          now += s.advanceMs;
          for (const e of s.events) p.add(event(e, now + e.offsetMs, ++seq), now);
          const out = p.advance();
          for (const status of out.statuses) board.set(status.key, status);
          if (out.evaluatedTo === undefined) {
            expect(out.statuses).toEqual([]);
            continue;
          }
          edge = out.evaluatedTo;
          published += out.statuses.length;
          sitesPublished += out.statuses.filter((status) => status.scope === 'site').length;
          for (const status of p.statuses()) {
            evaluated++;
            const shown = board.get(status.key)!;
            expect(shown, status.key).toBeDefined();
            expect({ status: shown.status, since: shown.since }).toEqual({ status: status.status, since: status.since });
            // Reasons: the same words, their numbers (the figures they name) as the figures are.
            expect(sameWording(shown.reason, status.reason), `${status.key}: ${shown.reason} → ${status.reason}`).toBe(true);
            // Figures: exactly as of the last window's end; a site's within the tolerance between.
            if (status.asOf % MIN === 0) {
              expect(shown.reason).toBe(status.reason);
              expect(figuresChanged(shown.figures, status.figures), `${status.key}: ${JSON.stringify(shown.figures)} → ${JSON.stringify(status.figures)}`).toBe(false);
            } else if (status.scope === 'site') {
              expect(figuresMovedPast(shown.figures, status.figures, DEFAULT_FIGURE_TOLERANCE), `${status.key}: ${JSON.stringify(shown.figures)} → ${JSON.stringify(status.figures)}`).toBe(false);
            }
            expect(status.asOf - shown.asOf).toBeLessThan(5 * MIN + statusIntervalMs);
            if (status.scope === 'site') {
              sitesJudged++;
              // The board's time for a site: the later of its status's and its partition's edge — the evaluation's.
              expect(shown.partition).toBe(4);
              expect(Math.max(shown.asOf, edge)).toBe(out.evaluatedTo);
            } else {
              expect(shown.partition).toBeUndefined();
            }
          }
        }
      }),
      { numRuns: 100, seed: 301120 },
    );
    // Fewer messages than statuses: unchanged scopes were left out — sites too.
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThan(evaluated * 0.8);
    expect(sitesPublished).toBeLessThan(sitesJudged);
  });
});

describe('StatusHorizon.add', () => {
  const APP = 0;
  const WIFI = 2;
  const slot = (key: string): HorizonSlot => ({ key, horizonCells: undefined, horizonEpoch: -1, horizonChanged: 0 });
  const windowOf = (start: number, values: Record<string, number[]>) => {
    const window = new WindowCells(start);
    for (const [scope, list] of Object.entries(values)) {
      const cell = new Cell();
      for (const v of list) cell.add(v, true, true);
      window.at(scope)[0] = cell;
    }
    return window;
  };
  const valuesOf = (horizon: StatusHorizon, key: string, metric: number) => horizon.cellsOf(key)?.[metric]?.values;

  it.each([
    { name: 'one scope, one metric', adds: [['a', APP]], changed: [['a', 1 << APP]] },
    { name: 'metrics gathered per scope', adds: [['a', APP], ['a', WIFI], ['a', APP]], changed: [['a', (1 << APP) | (1 << WIFI)]] },
    { name: 'scopes in the order first added to', adds: [['b', WIFI], ['a', APP], ['b', APP]], changed: [['b', (1 << APP) | (1 << WIFI)], ['a', 1 << APP]] },
  ] as const)('says which scopes and metrics changed: $name', ({ adds, changed }) => {
    const horizon = new StatusHorizon(60_000, 180_000, [APP, WIFI]);
    const slots = new Map<string, HorizonSlot>();
    adds.forEach(([key, metric], i) => {
      if (!slots.has(key)) slots.set(key, slot(key));
      horizon.add(slots.get(key)!, metric, 100 + i, true, true);
    });
    expect([...horizon.takeChanged()]).toEqual(changed);
    // Gathered once: nothing changed since.
    expect([...horizon.takeChanged()]).toEqual([]);
    expect(valuesOf(horizon, 'a', APP)).toEqual(adds.flatMap(([key, metric], i) => (key === 'a' && metric === APP ? [100 + i] : [])));
  });

  it('gathers adds before a slide: their scopes come first, as the map alone kept them', () => {
    const horizon = new StatusHorizon(60_000, 180_000, [APP, WIFI]);
    horizon.add(slot('b'), APP, 5, true, true);
    horizon.slide(120_000, [windowOf(60_000, { a: [1], b: [2] })]);
    expect([...horizon.takeChanged()]).toEqual([
      ['b', 1 << APP],
      ['a', 1 << APP],
    ]);
    expect(valuesOf(horizon, 'b', APP)).toEqual([5, 2]);
  });

  it('adds to a scope whose running cells left the horizon into new ones, not the ones it held', () => {
    const horizon = new StatusHorizon(60_000, 180_000, [APP, WIFI]);
    const x = slot('x');
    const first = windowOf(0, { x: [5] });
    horizon.slide(60_000, [first]);
    // A value counted into the window inside: into its cells and the running cells.
    first.cells.get('x')![0]!.add(7, true, true);
    horizon.add(x, APP, 7, true, true);
    expect(valuesOf(horizon, 'x', APP)).toEqual([5, 7]);
    horizon.slide(300_000, [first]);
    expect(horizon.cellsOf('x')).toBeUndefined();
    horizon.add(x, APP, 9, true, true);
    expect(valuesOf(horizon, 'x', APP)).toEqual([9]);
    expect(horizon.takeChanged().get('x')).toBe(ALL_METRICS);
  });
});
