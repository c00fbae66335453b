// Late corrections: events that come after their window is final, but within the correction horizon,
// are counted apart from the live windows and emitted as `corrections` for merging into stored rows.
import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/schema';
import { StreamProcessor } from './stream-processor.ts';
import { mergeRollupRecords, sketchQuantiles } from '@wardwatch/sketch';
import { app, logon, MIN, mulberry32, T0, wifi } from './test-events.fixture.ts';

const HOUR = 60 * MIN;
const config = { watermarkLagMs: 10_000, allowedLatenessMs: 2 * MIN };
const keyOf = (r: RollupRecord) => `${r.resolution} ${r.scope} ${r.metric} ${r.start}`;
const find = (rollups: RollupRecord[], scope: string, resolution: string, metric = 'app.totalMs') =>
  rollups.filter((r) => r.scope === scope && r.metric === metric && r.resolution === resolution);
const counts = (r: RollupRecord | undefined) => r && { start: r.start, count: r.count, valid: r.valid, good: r.good, fast: r.fast };

/** Live traffic from D1 (one app check a minute) up to `until`, advancing as it goes. */
function live(p: StreamProcessor, from: number, until: number, out: { rollups: RollupRecord[]; corrections: RollupRecord[] }) {
  for (let t = from; t < until; t += MIN) {
    p.add(app(t + 1000, 400, { device: 'D1' }));
    const o = p.advance();
    out.rollups.push(...o.rollups);
    out.corrections.push(...o.corrections);
  }
}

/** Three app checks from D2 in the minute T0 + 10: one fast, one slow, one failed. */
const buffered = () => [app(T0 + 10 * MIN + 1000, 300, { device: 'D2' }), app(T0 + 10 * MIN + 2000, 2500, { device: 'D2' }), app(T0 + 10 * MIN + 3000, 100, { device: 'D2' }, false)];
const D2 = { count: 2, valid: 3, good: 2, fast: 1 };
const D1_MINUTE = { count: 1, valid: 1, good: 1, fast: 1 };

describe('late corrections in the processor', () => {
  // Where the watermark stands when D2's minute (T0 + 10) arrives decides which windows are still open.
  it.each([
    {
      name: 'every window final (watermark 3 h on)',
      watermarkAt: T0 + 3 * HOUR,
      corrected: { '1m': true, '5m': true, '1h': true },
    },
    {
      name: 'its 1-minute and 5-minute windows final, its hour open',
      watermarkAt: T0 + 25 * MIN,
      corrected: { '1m': true, '5m': true, '1h': false },
    },
    {
      name: 'its 1-minute window final, its 5 minutes and hour open',
      watermarkAt: T0 + 15 * MIN,
      corrected: { '1m': true, '5m': false, '1h': false },
    },
  ])('counts an event behind a final window as a correction: $name', ({ watermarkAt, corrected }) => {
    const p = new StreamProcessor(config);
    const out = { rollups: [] as RollupRecord[], corrections: [] as RollupRecord[] };
    live(p, T0, watermarkAt, out);
    expect(out.corrections).toEqual([]);
    expect(buffered().map((e) => p.add(e))).toEqual(['corrected', 'corrected', 'corrected']);
    const after = p.advance();
    out.rollups.push(...after.rollups);
    out.corrections.push(...after.corrections);
    expect(p.advance().corrections).toEqual([]); // emitted once

    // Corrections: site (and ward, site × app) at every resolution whose window was final; the device at 1 h only.
    for (const resolution of ['1m', '5m', '1h'] as const) {
      const start = resolution === '1h' ? T0 : resolution === '5m' ? T0 + 10 * MIN : T0 + 10 * MIN;
      const site = find(out.corrections, 'site:S1', resolution);
      const device = find(out.corrections, 'device:D2', resolution);
      if (corrected[resolution]) {
        expect(site.map(counts)).toEqual([{ start, ...D2 }]);
        expect(find(out.corrections, 'ward:S1/W1', resolution).map(counts)).toEqual([{ start, ...D2 }]);
        expect(find(out.corrections, 'siteapp:S1/epr', resolution).map(counts)).toEqual([{ start, ...D2 }]);
      } else {
        expect(site).toEqual([]);
      }
      expect(device.map(counts)).toEqual(resolution === '1h' && corrected['1h'] ? [{ start: T0, ...D2 }] : []);
    }
    // Where the coarse window was still open, the correction joined it and leaves with the live rollup.
    const rest = p.flush();
    out.rollups.push(...rest.rollups);
    expect(rest.corrections).toEqual([]);
    const liveFive = find(out.rollups, 'site:S1', '5m').find((r) => r.start === T0 + 10 * MIN)!;
    expect(liveFive.valid).toBe(5 * D1_MINUTE.valid + (corrected['5m'] ? 0 : D2.valid));
    const liveHour = find(out.rollups, 'site:S1', '1h').find((r) => r.start === T0)!;
    const liveMinutes = Math.min(60, (watermarkAt - T0) / MIN);
    expect(liveHour.valid).toBe(liveMinutes * D1_MINUTE.valid + (corrected['1h'] ? 0 : D2.valid));
    expect(find(out.rollups, 'device:D2', '1h').map(counts)).toEqual(corrected['1h'] ? [] : [{ start: T0, ...D2 }]);
    // The live 1-minute window is never touched: it stays as emitted on time.
    expect(find(out.rollups, 'site:S1', '1m').find((r) => r.start === T0 + 10 * MIN)).toMatchObject(D1_MINUTE);
    expect(p.counters).toMatchObject({ corrected: 3, tooLate: 0 });
  });

  it.each([
    { name: 'just inside the horizon', age: 6 * HOUR - 2 * MIN, outcome: 'corrected' },
    { name: 'beyond the horizon', age: 6 * HOUR + 2 * MIN, outcome: 'too-late' },
    { name: 'beyond it with corrections off', age: 10 * MIN, outcome: 'too-late', horizon: 0 },
  ])('classifies an event $name', ({ age, outcome, horizon }) => {
    const p = new StreamProcessor({ ...config, correctionHorizonMs: horizon ?? 6 * HOUR });
    p.add(app(T0 + 10 * HOUR + 10_000, 400)); // watermark T0 + 10 h
    expect(p.add(app(T0 + 10 * HOUR - age, 400, { device: 'D2' }))).toBe(outcome);
    expect(p.advance().corrections.length > 0).toBe(outcome === 'corrected');
    expect(p.counters).toMatchObject(outcome === 'corrected' ? { corrected: 1, tooLate: 0 } : { corrected: 0, tooLate: 1 });
  });

  it('drops a correction replayed with the same sequence number, even from a device never seen live', () => {
    const p = new StreamProcessor({ ...config, forgetAfterMs: 2 * HOUR });
    p.add(app(T0 + HOUR, 400));
    const event = app(T0, 400, { device: 'D2' });
    expect(p.add(event)).toBe('corrected');
    p.advance(); // forgetting runs here: D2 was heard of an hour ago, within forgetAfterMs
    expect(p.add({ ...event })).toBe('duplicate');
    expect(p.counters).toMatchObject({ corrected: 1, duplicates: 1 });
  });

  it('does not change the live statuses', () => {
    const feed = (p: StreamProcessor, minutes: number) => {
      for (let m = 0; m < minutes; m++) {
        for (let d = 0; d < 6; d++) {
          const where = { device: `D${d}`, ap: d < 3 ? '3c:a8:2a:00:00:01' : '3c:a8:2a:00:00:02' };
          p.add(app(T0 + m * MIN + d * 1000, 400 + d * 10, where));
          p.add(wifi(T0 + m * MIN + d * 1000 + 500, -55, where));
        }
        p.advance();
      }
    };
    const plain = new StreamProcessor(config);
    const corrected = new StreamProcessor(config);
    feed(plain, 20);
    feed(corrected, 20);
    // A device known only from corrections does not appear either.
    expect(corrected.add(app(T0 + 12 * MIN, 400, { device: 'D99', ward: 'W9' }))).toBe('corrected');
    // Slow, failing checks and a weak signal on another access point, for minutes the status horizon
    // covers but whose windows are final: they must not move any verdict, figure or device's access point.
    for (let m = 8; m < 16; m++) {
      for (let d = 0; d < 6; d++) {
        expect(corrected.add(app(T0 + m * MIN + 30_000 + d, 9000, { device: `D${d}`, ap: '3c:a8:2a:00:00:09' }, false))).toBe('corrected');
        expect(corrected.add(wifi(T0 + m * MIN + 40_000 + d, -88, { device: `D${d}`, ap: '3c:a8:2a:00:00:09' }))).toBe('corrected');
      }
    }
    expect(corrected.advance().corrections.length).toBeGreaterThan(0);
    // The next evaluation: same live traffic into both.
    for (const p of [plain, corrected]) p.add(app(T0 + 21 * MIN, 400, { device: 'D0' }));
    const a = plain.advance();
    const b = corrected.advance();
    expect(a.statuses.length).toBeGreaterThan(0);
    expect(b.statuses).toEqual(a.statuses);
    expect(b.rollups.map(keyOf)).toEqual(a.rollups.map(keyOf));
    expect(b.rollups).toEqual(a.rollups);
    expect(corrected.counters).toMatchObject({ corrected: 97, counted: plain.counters.counted });
    expect(b.statuses.some((s) => s.id === 'D99' || s.id.endsWith('/W9') || s.id.endsWith(':09'))).toBe(false);
  });

  it('holds corrections when asked, through a snapshot, and emits them later', () => {
    const p = new StreamProcessor(config);
    p.add(app(T0 + 30 * MIN, 400));
    p.advance();
    for (const e of buffered()) p.add(e);
    expect(p.advance({ holdCorrections: true }).corrections).toEqual([]);
    expect(p.pendingCorrections).toBe(true);
    const copy = StreamProcessor.restore(p.snapshot(), config);
    expect(copy.counters).toEqual(p.counters);
    expect(copy.pendingCorrections).toBe(true);
    const fromCopy = copy.advance().corrections;
    const fromOriginal = p.advance().corrections;
    expect(fromCopy.map(counts)).toEqual(fromOriginal.map(counts));
    expect(find(fromCopy, 'site:S1', '1m').map(counts)).toEqual([{ start: T0 + 10 * MIN, ...D2 }]);
  });

  it('restores a snapshot written before corrections existed', () => {
    const p = new StreamProcessor(config);
    for (let m = 0; m < 5; m++) p.add(app(T0 + m * MIN, 400));
    p.advance();
    const json = JSON.parse(new TextDecoder().decode(p.snapshot()));
    delete json.counters.corrected;
    delete json.corrections;
    const old = StreamProcessor.restore(new TextEncoder().encode(JSON.stringify(json)), config);
    expect(old.counters).toEqual({ counted: 5, late: 0, corrected: 0, tooLate: 0, duplicates: 0, seqResets: 0 });
    expect(old.add(app(T0, 400, { device: 'D2' }))).toBe('corrected');
  });

  it('live rollups merged with corrections equal the rollups of the same events on time', () => {
    // Ten devices over two hours; D7 was offline throughout: its spool arrives (in order) after them.
    const random = mulberry32(11);
    type Ev = ReturnType<typeof app>;
    const byDevice = new Map<string, Ev[]>();
    for (let t = T0; t < T0 + 2 * HOUR; t += 20_000) {
      for (let d = 0; d < 10; d++) {
        const device = `D${d}`;
        const list = byDevice.get(device) ?? [];
        const where = { device, ward: `W${d % 2}`, ap: `3c:a8:2a:00:00:0${d % 3}` };
        list.push(random() < 0.8 ? app(t + d * 100, 200 + random() * 4000, where, random() > 0.05) : logon(t + d * 100, 5_000 + random() * 40_000, where));
        byDevice.set(device, list);
      }
    }
    const all = [...byDevice.values()].flat().sort((a, b) => a.ts - b.ts);
    const spooled = (e: Ev) => e.device === 'D7';
    const run = (order: Ev[]) => {
      const p = new StreamProcessor(config);
      const rollups = new Map<string, RollupRecord>();
      const apply = (o: { rollups: RollupRecord[]; corrections: RollupRecord[] }) => {
        for (const r of o.rollups) rollups.set(keyOf(r), r);
        for (const c of o.corrections) {
          const stored = rollups.get(keyOf(c));
          rollups.set(keyOf(c), stored ? mergeRollupRecords(stored, c) : c);
        }
      };
      for (let i = 0; i < order.length; i++) {
        const outcome = p.add(order[i]!);
        expect(outcome).not.toBe('too-late');
        if (i % 50 === 49) apply(p.advance());
      }
      apply(p.flush());
      return { rollups, counters: p.counters };
    };
    const onTime = run(all);
    const late = run([...all.filter((e) => !spooled(e)), ...all.filter(spooled)]);
    expect(late.counters.corrected).toBeGreaterThan(0.9 * all.filter(spooled).length);
    expect(late.counters.counted + late.counters.late + late.counters.corrected).toBe(all.length);
    expect(onTime.counters.corrected).toBe(0);
    expect([...late.rollups.keys()].sort()).toEqual([...onTime.rollups.keys()].sort());
    const QS = [0.5, 0.9, 0.95, 0.99];
    for (const [key, expected] of onTime.rollups) {
      const actual = late.rollups.get(key)!;
      expect(counts(actual), key).toEqual(counts(expected));
      // DDSketch merges are exact (bins add): the quantiles are the same.
      expect(sketchQuantiles(actual.sketch, QS), key).toEqual(sketchQuantiles(expected.sketch, QS));
    }
  });
});
