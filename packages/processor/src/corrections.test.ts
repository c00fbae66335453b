// Late corrections: events that come after their window is final, but within the correction horizon,
// are counted apart from the live windows and emitted as `corrections` for merging into stored rows.
import { describe, expect, it } from 'vitest';
import type { RollupRecord, ScopeStatus } from '@wardwatch/schema';
import { StreamProcessor } from './stream-processor.ts';
import type { SnapshotPart } from './snapshot-parts.ts';
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

  it('counts corrections the status horizon still reads into the live figures, and takes them out as their minutes leave', () => {
    const regular = (d: number) => ({ device: `D${d}`, ap: d < 3 ? '3c:a8:2a:00:00:01' : '3c:a8:2a:00:00:02' });
    const liveMinute = (p: StreamProcessor, m: number) => {
      for (let d = 0; d < 6; d++) {
        p.add(app(T0 + m * MIN + d * 1000, 400 + d * 10, regular(d)));
        p.add(wifi(T0 + m * MIN + d * 1000 + 500, -55, regular(d)));
      }
    };
    // Slow, failing checks and a weak signal on another access point in minutes 8–15 (inside the
    // horizon of the evaluation at minute 21): an agent's spool after a Wi-Fi outage.
    const outage = (m: number) =>
      Array.from({ length: 6 }, (_, d) => [
        app(T0 + m * MIN + 30_000 + d, 9000, { device: `D${d}`, ap: '3c:a8:2a:00:00:09' }, false),
        wifi(T0 + m * MIN + 40_000 + d, -88, { device: `D${d}`, ap: '3c:a8:2a:00:00:09' }),
      ]).flat();
    const plain = new StreamProcessor(config);
    const onTime = new StreamProcessor(config);
    const corrected = new StreamProcessor(config);
    for (let m = 0; m < 20; m++) {
      for (const p of [plain, onTime, corrected]) liveMinute(p, m);
      if (m >= 8 && m < 16) for (const event of outage(m)) expect(onTime.add(event)).toBe('counted');
      if (m === 12) onTime.add(app(T0 + 12 * MIN, 400, { device: 'D99', ward: 'W9' }));
      for (const p of [plain, onTime, corrected]) p.advance();
    }
    for (let m = 8; m < 16; m++) for (const event of outage(m)) expect(corrected.add(event)).toBe('corrected');
    // A device known only from corrections gets no status.
    expect(corrected.add(app(T0 + 12 * MIN, 400, { device: 'D99', ward: 'W9' }))).toBe('corrected');
    expect(corrected.advance().corrections.length).toBeGreaterThan(0);

    // The next evaluation: the same live traffic into all three.
    const judged = (p: StreamProcessor) => {
      p.add(app(T0 + 21 * MIN, 400, { device: 'D0', ap: '3c:a8:2a:00:00:01' }));
      p.advance();
      return new Map(p.statuses().map((s) => [s.key, s]));
    };
    const [a, late, b] = [plain, onTime, corrected].map(judged) as [Map<string, ScopeStatus>, Map<string, ScopeStatus>, Map<string, ScopeStatus>];
    const site = [...b.values()].find((s) => s.scope === 'site')!;
    // The outage's failed checks count now, as they would have had they come in time.
    expect(site.figures.availability).toBeLessThan(a.get(site.key)!.figures.availability!);
    expect(site.figures).toEqual(late.get(site.key)!.figures);
    for (const [key, status] of b) {
      expect(status.figures, key).toEqual(late.get(key)!.figures);
      expect(status.status, key).toBe(late.get(key)!.status);
    }
    // But they do not move a scope's last-seen time or a device's access point: the access point,
    // the device and the ward heard of only through corrections have no status; the devices are
    // where they were.
    expect([...late.keys()].filter((key) => !b.has(key)).sort()).toEqual(['ap:3c:a8:2a:00:00:09', 'device:D99', 'ward:S1/W9']);
    for (let d = 0; d < 6; d++) expect(b.get(`device:D${d}`)?.ap, `D${d}`).toBe(regular(d).ap);

    // Once minutes 8–15 have left the horizon, the figures are the plain run's again, exactly.
    for (let m = 22; m < 40; m++) {
      for (const p of [plain, corrected]) {
        liveMinute(p, m);
        p.advance();
      }
    }
    const figures = (p: StreamProcessor) => p.statuses().map((s) => [s.key, s.status, s.figures]);
    expect(figures(corrected)).toEqual(figures(plain));
    expect(corrected.counters).toMatchObject({ corrected: 97, counted: plain.counters.counted });
  });

  it('counts corrections for minutes with no event in time (the whole partition silent) into the live figures too', () => {
    const onTime = new StreamProcessor(config);
    const corrected = new StreamProcessor(config);
    // Minutes 6–8 silent: the partition's link down; its events come later, from the spool.
    const silent = (m: number) => [app(T0 + m * MIN + 5000, 9000, { device: 'D1' }, false), app(T0 + m * MIN + 6000, 300, { device: 'D2' })];
    for (let m = 0; m < 14; m++) {
      for (const p of [onTime, corrected]) {
        if (m < 6 || m > 8) p.add(app(T0 + m * MIN + 1000, 400, { device: 'D1' }));
        if (m >= 6 && m <= 8 && p === onTime) for (const event of silent(m)) p.add(event);
        p.advance();
      }
    }
    for (let m = 6; m <= 8; m++) for (const event of silent(m)) expect(corrected.add(event)).toBe('corrected');
    const site = (p: StreamProcessor) => {
      p.add(app(T0 + 14 * MIN + 1000, 400, { device: 'D1' }));
      p.advance();
      return p.statuses().find((s) => s.scope === 'site')!;
    };
    const [a, b] = [site(onTime), site(corrected)];
    expect(b.figures).toEqual(a.figures);
    expect(b.figures.appChecks).toBe(11 + 6); // D1 in minutes 0–5 and 9–13, and the six from the spool
  });

  it.each(['snapshot', 'parts'] as const)(
    'gives the live figures of a processor never restored when restored from a %s every 70 s, through late events and ten silent minutes',
    (mode) => {
      const random = mulberry32(42);
      const cfg = { watermarkLagMs: 10_000, allowedLatenessMs: MIN };
      let restored = new StreamProcessor(cfg);
      const steady = new StreamProcessor(cfg);
      const parts = new Map<string, SnapshotPart>();
      let differing = 0;
      let compared = 0;
      for (let step = 0; step < 600; step++) {
        const t = T0 + step * 10_000;
        const events = [];
        // D1 every 10 s, but silent for ten minutes (one advance then crosses several windows);
        // D2 now and then up to 20 minutes late, half of its checks failed.
        if (step < 100 || step >= 160) events.push(app(t, 400, { device: 'D1' }));
        if (random() < 0.3) events.push(app(t - Math.floor(random() * 20 * MIN), 9000, { device: 'D2' }, random() < 0.5));
        for (const event of events) expect(restored.add(structuredClone(event))).toBe(steady.add(structuredClone(event)));
        restored.advance();
        steady.advance();
        // (A processor just restored has judged nothing yet: compared from its first evaluation on.)
        const site = (p: StreamProcessor) => p.statuses().find((x) => x.scope === 'site')?.figures;
        const judged = site(restored);
        if (judged) {
          compared++;
          if (JSON.stringify(judged) !== JSON.stringify(site(steady))) differing++;
        }
        if (step % 7 !== 3) continue;
        if (mode === 'snapshot') {
          restored = StreamProcessor.restore(restored.snapshot(), cfg);
        } else {
          const draft = restored.checkpoint();
          for (const part of draft.put) parts.set(part.name, part);
          draft.commit();
          restored = StreamProcessor.restore(draft.head, cfg, draft.keep.map((name) => parts.get(name)!));
        }
      }
      expect(compared).toBeGreaterThan(300);
      expect(differing).toBe(0);
    },
  );

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
