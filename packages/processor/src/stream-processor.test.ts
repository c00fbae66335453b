import { describe, expect, it } from 'vitest';
import type { RollupRecord, ScopeStatus } from '@wardwatch/schema';
import { StreamProcessor } from './stream-processor.ts';
import { sketchQuantiles } from '@wardwatch/sketch';

// Sketch bytes depend on the store's memory layout (merge history); what must match is their content.
const QS = [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1];
const content = (r: RollupRecord) => ({ ...r, sketch: sketchQuantiles(r.sketch, QS) });
import { app, logon, MIN, mulberry32, T0, wifi } from './test-events.fixture.ts';

const config = { watermarkLagMs: 10_000, allowedLatenessMs: 2 * MIN };
const find = (rollups: RollupRecord[], scope: string, metric: string, resolution = '1m', start?: number) =>
  rollups.filter((r) => r.scope === scope && r.metric === metric && r.resolution === resolution && (start === undefined || r.start === start));

describe('StreamProcessor windows and watermark', () => {
  it('counts events in their event-time minute and emits the window once it is final', () => {
    const p = new StreamProcessor(config);
    expect(p.add(app(T0 + 5_000, 300))).toBe('counted');
    expect(p.add(app(T0 + 20_000, 500, {}, false))).toBe('counted');
    expect(p.advance().rollups).toEqual([]); // not final yet
    p.add(app(T0 + 3 * MIN + 15_000, 400)); // watermark → T0 + 3:05 = end of T0's window + lateness
    const rollups = p.advance().rollups;
    const [site] = find(rollups, 'site:S1', 'app.totalMs', '1m', T0);
    expect(site).toMatchObject({ start: T0, valid: 2, good: 1, fast: 1, count: 1 });
    expect(find(rollups, 'ward:S1/W1', 'app.totalMs', '1m', T0)).toHaveLength(1);
    expect(find(rollups, 'siteapp:S1/epr', 'app.totalMs', '1m', T0)).toHaveLength(1);
    // Devices are kept at hourly resolution only, by default.
    expect(find(rollups, 'device:D1', 'app.totalMs', '1m')).toHaveLength(0);
    expect(p.advance().rollups).toEqual([]); // never emitted twice
  });

  it.each([
    ['on time', T0 + 8 * MIN, 'counted'],
    ['late: behind the watermark, window still open', T0 + 6 * MIN + 10_000, 'late'],
    ['corrected: its window is final, within the correction horizon', T0 + 1 * MIN, 'corrected'],
    ['too late: its window is final, beyond the correction horizon', T0 - 2 * 3_600_000, 'too-late'],
  ])('classifies an event %s', (_name, ts, outcome) => {
    const p = new StreamProcessor({ ...config, correctionHorizonMs: 3_600_000 });
    p.add(app(T0 + 7 * MIN + 30_000, 300)); // watermark T0 + 7:20; windows up to 5:00–6:00 … final up to end ≤ 5:20
    expect(p.add(app(ts, 300))).toBe(outcome);
  });

  it('counts late events in their window and reports too-late ones without counting them (corrections off)', () => {
    const p = new StreamProcessor({ ...config, correctionHorizonMs: 0 });
    p.add(app(T0 + 10_000, 100));
    p.add(app(T0 + 2 * MIN, 100)); // watermark T0 + 1:50
    expect(p.add(app(T0 + 50_000, 100))).toBe('late');
    p.add(app(T0 + 4 * MIN, 100)); // watermark T0 + 3:50: T0's window is final (end 1:00 + 2:00 lateness)
    const rollups = p.advance().rollups;
    expect(find(rollups, 'site:S1', 'app.totalMs', '1m', T0)[0]!.valid).toBe(2);
    expect(p.add(app(T0 + 30_000, 100))).toBe('too-late');
    expect(p.counters).toEqual({ counted: 3, late: 1, corrected: 0, tooLate: 1, duplicates: 0, seqResets: 0 });
    expect(p.advance().corrections).toEqual([]);
  });

  it('drops replays by sequence number', () => {
    const p = new StreamProcessor(config);
    const event = app(T0, 100);
    expect(p.add(event)).toBe('counted');
    expect(p.add({ ...event })).toBe('duplicate');
    expect(p.counters.duplicates).toBe(1);
  });

  it('rolls 1-minute windows up into 5-minute and hourly windows', () => {
    const p = new StreamProcessor({ ...config, deviceResolutions: ['1m', '5m', '1h'] });
    for (let m = 0; m < 60; m++) p.add(app(T0 + m * MIN + 1000, 100 + m));
    const out = p.advanceTo(T0 + 2 * 3_600_000);
    expect(find(out.rollups, 'site:S1', 'app.totalMs', '1m')).toHaveLength(60);
    const fives = find(out.rollups, 'site:S1', 'app.totalMs', '5m');
    expect(fives.map((r) => r.valid)).toEqual(Array(12).fill(5));
    const [hour] = find(out.rollups, 'device:D1', 'app.totalMs', '1h');
    expect(hour).toMatchObject({ start: T0, valid: 60, count: 60 });
    const [max] = sketchQuantiles(hour!.sketch, [1]);
    expect(max).toBeCloseTo(159, -1);
  });

  it('counts SLI events: good = succeeded, fast = succeeded under the threshold', () => {
    const p = new StreamProcessor(config);
    const checks: Array<[number, boolean]> = [[300, true], [1999, true], [2001, true], [9000, false], [100, false]];
    checks.forEach(([ms, ok], i) => p.add(app(T0 + i * 1000, ms, {}, ok)));
    [25_000, 31_000].forEach((ms, i) => p.add(logon(T0 + 10_000 + i, ms)));
    const rollups = p.flush().rollups;
    expect(find(rollups, 'site:S1', 'app.totalMs', '1m', T0)[0]).toMatchObject({ valid: 5, good: 3, fast: 2, count: 3 });
    expect(find(rollups, 'site:S1', 'logon.totalMs', '1m', T0)[0]).toMatchObject({ valid: 2, good: 2, fast: 1 });
  });

  it.each([
    ['one logon in ten over the line is its p95, and decides nothing alone (as one failed check)', [120_000], 'ok'],
    ['two in ten: 80 % within 30 s, under the logon SLO’s 95 %, and the site is degraded', [120_000, 45_000], 'degraded'],
  ] as const)('judges a site by the line the logon SLO counts: %s', (_name, slow, status) => {
    const p = new StreamProcessor(config);
    // Ten logons in a minute, the rest of 20 s.
    const logons = [...slow, ...Array<number>(10 - slow.length).fill(20_000)];
    logons.forEach((ms, i) => p.add(logon(T0 + i * 1000, ms, { device: `D${i}` })));
    p.advanceTo(T0 + 10 * MIN);
    const site = p.statuses().find((s) => s.key === 'site:S1')!;
    expect(site.figures).toMatchObject({ logons: 10, logonP95Ms: 120_000, slowLogons: slow.length });
    expect(site.status).toBe(status);
    if (status === 'degraded') expect(site.reason).toMatch(/logon p95 120\.0 s/);
  });

  it('counts a clinical application\u2019s marked logon as its phase alone, not as a workstation logon', () => {
    const p = new StreamProcessor(config);
    p.add(logon(T0 + 1000, 25_000));
    const marked = logon(T0 + 2000, 4_500);
    p.add({ ...marked, body: { ...marked.body, readyBy: 'application-mark', phases: { appLogonMs: 4_500 } } } as typeof marked);
    const rollups = p.flush().rollups;
    expect(find(rollups, 'site:S1', 'logon.totalMs', '1m', T0)[0]).toMatchObject({ valid: 1, count: 1 });
    expect(find(rollups, 'device:D1', 'logon.totalMs', '1h')[0]).toMatchObject({ valid: 1 });
    expect(find(rollups, 'site:S1', 'logon.appLogonMs', '1m', T0)[0]).toMatchObject({ valid: 1, count: 1 });
    expect(find(rollups, 'ward:S1/W1', 'logon.appLogonMs', '1m', T0)[0]).toMatchObject({ valid: 1 });
  });

  it('gives the same final rollups whatever the order of events within the lateness', () => {
    const random = mulberry32(99);
    const events = Array.from({ length: 3000 }, (_, i) =>
      app(T0 + Math.floor(i * 200 + random() * 100), 200 + random() * 3000, { device: `D${i % 30}`, ward: `W${i % 3}` }, random() > 0.05, 1000 + Math.floor(i / 30)),
    );
    const run = (ordered: typeof events) => {
      const p = new StreamProcessor({ ...config, allowedLatenessMs: 10 * MIN });
      const rollups: RollupRecord[] = [];
      for (const e of ordered) {
        expect(['counted', 'late']).toContain(p.add(e));
        rollups.push(...p.advance().rollups);
      }
      rollups.push(...p.flush().rollups);
      return rollups.map(content).sort((a, b) => `${a.scope}${a.metric}${a.resolution}${a.start}`.localeCompare(`${b.scope}${b.metric}${b.resolution}${b.start}`));
    };
    // Shuffle locally: each event moves at most ~2 minutes of event time.
    const shuffled = [...events];
    for (let i = 0; i < shuffled.length; i++) {
      const j = Math.min(shuffled.length - 1, i + Math.floor(random() * 500));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(run(shuffled)).toEqual(run(events));
  });
});

describe('StreamProcessor statuses', () => {
  function feed(p: StreamProcessor, minutes: number, slowDevice?: string) {
    for (let m = 0; m < minutes; m++) {
      for (let d = 0; d < 10; d++) {
        const device = `D${d}`;
        const ms = device === slowDevice ? 4500 : 400 + d * 10;
        p.add(app(T0 + m * MIN + d * 1000, ms, { device, ward: d < 5 ? 'W1' : 'W2', ap: d < 5 ? '3c:a8:2a:00:00:01' : '3c:a8:2a:00:00:02' }));
        p.add(wifi(T0 + m * MIN + d * 1000 + 500, -55, { device, ward: d < 5 ? 'W1' : 'W2', ap: d < 5 ? '3c:a8:2a:00:00:01' : '3c:a8:2a:00:00:02' }));
      }
    }
  }

  it('evaluates statuses as soon as the watermark passes a window end, with reasons', () => {
    const p = new StreamProcessor(config);
    feed(p, 20, 'D3');
    const out = p.advance();
    expect(out.statuses.length).toBeGreaterThan(0);
    const byKey = new Map(out.statuses.map((s) => [s.key, s]));
    expect(byKey.get('device:D3')).toMatchObject({ status: 'degraded', site: 'S1', ward: 'W1' });
    expect(byKey.get('device:D3')!.reason).toMatch(/^app p95 4\.5 s over the 2\.0 s target \(last 15 min, 15 of 15 checks slow\)$/);
    expect(byKey.get('device:D4')!.status).toBe('ok');
    // One slow device in ten is 10 % of the checks: enough to move its ward's and site's p95, not the other ward's.
    expect(byKey.get('ward:S1/W1')!.status).toBe('degraded');
    expect(byKey.get('ward:S1/W2')!.status).toBe('ok');
    expect(byKey.get('ap:3c:a8:2a:00:00:01')!.figures.wifiSignalDbm).toBeCloseTo(-55, 0);
    // The horizon is exactly the last 15 complete minutes before the evaluation.
    expect(byKey.get('device:D4')!.figures.appChecks).toBe(15);
    expect(out.statuses.every((s) => s.asOf === out.statuses[0]!.asOf)).toBe(true);
  });

  it.each<[string, number[], 'ok' | 'degraded']>([
    ['one slow check of fifteen, one slow logon of five: no finding (a p95 of fewer than 20 is the slowest value)', [10], 'ok'],
    ['two of each: degraded', [10, 14], 'degraded'],
  ])('lets no single slow value decide a status: %s', (_name, slowMinutes, status) => {
    const p = new StreamProcessor(config);
    for (let m = 0; m < 20; m++) {
      const slow = slowMinutes.includes(m);
      p.add(app(T0 + m * MIN + 1000, slow ? 4800 : 400, { device: 'D1' }));
      // Five logons on the ward inside the horizon, each on a workstation of its own.
      if (m >= 10 && m < 15) p.add(logon(T0 + m * MIN + 2000, slow ? 35_000 : 20_000, { device: `L${m}` }));
    }
    const byKey = new Map(p.advance().statuses.map((s) => [s.key, s]));
    const device = byKey.get('device:D1')!;
    const ward = byKey.get('ward:S1/W1')!;
    // The figures say what the rule read: the p95 is the slow value either way.
    expect(device.figures).toMatchObject({ appChecks: 15, p95Ms: 4800, slowAppChecks: slowMinutes.length });
    expect(ward.figures).toMatchObject({ logons: 5, logonP95Ms: 35_000, slowLogons: slowMinutes.length });
    expect(device.status).toBe(status);
    expect(ward.status).toBe(status);
    if (status === 'ok') {
      expect(device.reason).toBe('');
      expect(ward.reason).toBe('');
    } else {
      expect(device.reason).toMatch(/^app p95 4\.8 s over the 2\.0 s target \(last 15 min, 2 of 15 checks slow\)$/);
      expect(ward.reason).toMatch(/logon p95 35\.0 s over the 30\.0 s target \(last 15 min, 2 of 5 logons slow\)/);
    }
  });

  it('publishes each kind of scope with its fields in one order, optional ones only when present', () => {
    const p = new StreamProcessor(config);
    feed(p, 20, 'D3');
    const byKey = new Map(p.advance().statuses.map((s) => [s.key, s]));
    // Consumers and the status topic see the same JSON as ever: key order is part of it.
    const head = ['key', 'scope', 'id', 'trust', 'site'];
    const tail = ['status', 'reason', 'figures', 'since', 'asOf'];
    const figures = ['appChecks', 'p50Ms', 'p95Ms', 'p99Ms', 'availability', 'slowAppChecks', 'logons', 'logonP95Ms', 'slowLogons', 'wifiSignalDbm'];
    expect(Object.keys(byKey.get('site:S1')!)).toEqual([...head, ...tail]);
    expect(Object.keys(byKey.get('ward:S1/W1')!)).toEqual([...head, 'ward', ...tail]);
    expect(Object.keys(byKey.get('device:D3')!)).toEqual([...head, 'ward', 'ap', ...tail]);
    expect(Object.keys(byKey.get('app:S1/epr')!)).toEqual([...head, 'app', ...tail]);
    expect(byKey.get('app:S1/epr')).toMatchObject({ scope: 'app', id: 'S1/epr', app: 'epr' });
    expect(Object.keys(byKey.get('device:D3')!.figures)).toEqual(figures);
    expect(Object.keys(byKey.get('site:S1')!.figures)).toEqual(figures);
  });

  it.each<[string, number | undefined, number, number, number]>([
    // [case, statusIntervalMs, watermark reached (s after T0 + 20 min), asOf after that advance, and after the next (s after T0 + 20 min)]
    ['by the window (default): the filling minute waits', undefined, 45, 0, 0],
    ['every 10 s: the window’s end first, then the filling minute counts, as of the live edge', 10_000, 45, 0, 45],
    ['every 10 s, on a tick', 10_000, 30, 0, 30],
  ])('re-evaluates statuses %s', (_name, statusIntervalMs, reachedS, firstS, asOfS) => {
    const p = new StreamProcessor({ ...config, ...(statusIntervalMs ? { statusIntervalMs } : {}) });
    feed(p, 20);
    p.advance();
    // Devices D0–D9 check at +0 … +9 s of each minute: push the watermark to 20 min + reachedS.
    const end = T0 + 20 * MIN;
    for (let d = 0; d < 10; d++) p.add(app(end + d * 1000, 400, { device: `D${d}`, ward: d < 5 ? 'W1' : 'W2' }));
    p.advanceTo(end + reachedS * 1000);
    // The window's end passed is evaluated on its own: every scope judged, that window's figures published.
    expect(p.statuses()[0]!.asOf).toBe(end + firstS * 1000);
    p.advance();
    const statuses = p.statuses();
    expect(statuses[0]!.asOf).toBe(end + asOfS * 1000);
    // The filling minute's checks are in the figures only when the evaluation reached into it.
    const checks = statuses.find((s) => s.key === 'device:D4')!.figures.appChecks;
    expect(checks).toBe(asOfS > 4 ? 16 : 15);
  });

  it.each<[string, number, number, number]>([
    // [case, how far ahead of its receipt the last event is stamped (s), watermark, asOf (s after T0 + 20 min)]
    ['the newest event time received, not the watermark 30 s behind it', 0, 13, 43],
    ['never past the receiving clock: an event stamped ahead of it counts, but moves the live edge only to the clock', 90, 43, 43],
  ])('counts what has been received: statuses every 10 s reach %s', (_name, aheadS, watermarkS, asOfS) => {
    const p = new StreamProcessor({ ...config, watermarkLagMs: 30_000, statusIntervalMs: 10_000 });
    const end = T0 + 20 * MIN;
    for (let m = 0; m < 20; m++) for (let d = 0; d < 10; d++) p.add(app(T0 + m * MIN + d * 1000, 400, { device: `D${d}` }), T0 + m * MIN + d * 1000);
    // Received at 20:43: D1 stamped 20:43, D2 `aheadS` later.
    p.add(app(end + 43_000, 400, { device: 'D1' }), end + 43_000);
    p.add(app(end + 43_000 + aheadS * 1000, 400, { device: 'D2' }), end + 43_000);
    p.advance();
    expect(p.watermark).toBe(end + watermarkS * 1000);
    // The window's end first (every scope judged), then, at the next advance, the live edge.
    expect(p.statuses().every((s) => s.asOf === end)).toBe(true);
    p.advance();
    const statuses = p.statuses();
    expect(statuses.filter((s) => s.scope === 'site' || s.key === 'device:D1').map((s) => s.asOf - end)).toEqual([asOfS * 1000, asOfS * 1000]);
    // The filling minute's checks are in: D1's since it was received.
    expect(statuses.find((s) => s.key === 'device:D1')!.figures.appChecks).toBe(16);
  });

  it('moves the live edge to a source’s mark (liveTo) with no new events, and evaluates only there when batches skip statuses', () => {
    const p = new StreamProcessor({ ...config, statusIntervalMs: 200 });
    feed(p, 20);
    const end = T0 + 20 * MIN;
    // The source has sent everything before the window's end: every scope judged as of it.
    p.liveTo(end);
    expect(new Set(p.statuses().map((s) => s.asOf))).toEqual(new Set([end]));
    // A batch whose advance skips statuses evaluates nothing, whatever ticks it passed.
    p.add(app(end + 1_000, 400, { device: 'D1', ward: 'W1' }), end + 1_000);
    const watermark = p.watermark;
    expect(p.advance({ statuses: false }).statuses).toEqual([]);
    // The source's mark: evaluated as of it, the device's new check counted (the site's too); the watermark stays.
    const out = p.liveTo(end + 1_250);
    expect(out.evaluatedTo).toBe(end + 1_250);
    expect(p.statuses().find((s) => s.key === 'site:S1')!.asOf).toBe(end + 1_250);
    expect(p.statuses().find((s) => s.key === 'device:D1')).toMatchObject({ asOf: end + 1_250, figures: { appChecks: 16 } });
    expect(p.watermark).toBe(watermark);
    // A mark within the same tick: nothing due. The next tick's mark: evaluated as of it, but nothing
    // changed, so nothing is published — the live edge carries the site's time.
    const evaluation = (out: ReturnType<typeof p.liveTo>) => [out.statuses, out.evaluatedTo];
    expect(evaluation(p.liveTo(end + 1_390))).toEqual([[], undefined]);
    expect(evaluation(p.liveTo(end + 1_410))).toEqual([[], end + 1_410]);
    // A mark behind the live edge moves nothing.
    expect(evaluation(p.liveTo(end))).toEqual([[], undefined]);
  });

  it('gives each scope’s status as of its latest judgement, published or not: the access point it had then, not one it moved to after', () => {
    const p = new StreamProcessor({ ...config, statusIntervalMs: 200 });
    feed(p, 20);
    const end = T0 + 20 * MIN;
    p.liveTo(end);
    // D1 checks from its access point at the tick: judged (its figures moved), not published (a device's
    // figures wait for the window's end).
    p.add(app(end + 1_000, 400, { device: 'D1', ward: 'W1', ap: '3c:a8:2a:00:00:01' }), end + 1_000);
    const tick = p.liveTo(end + 1_250);
    expect(tick.statuses.map((s) => s.key)).not.toContain('device:D1');
    const judged = p.statuses().find((s) => s.key === 'device:D1')!;
    expect(judged).toMatchObject({ asOf: end + 1_250, ap: '3c:a8:2a:00:00:01', figures: { appChecks: 16 } });
    // It moves to another access point; no evaluation since: its status is still the one judged.
    p.add(app(end + 1_300, 400, { device: 'D1', ward: 'W1', ap: '3c:a8:2a:00:00:09' }), end + 1_300);
    p.advance({ statuses: false });
    expect(p.statuses().find((s) => s.key === 'device:D1')).toEqual(judged);
    // A published status is the one the scope's status then reads (the same object, not a copy).
    const site = p.liveTo(end + 60_000).statuses.find((s) => s.key === 'site:S1')!;
    expect(p.statuses().find((s) => s.key === 'site:S1')).toBe(site);
    expect(p.statuses().find((s) => s.key === 'device:D1')).toMatchObject({ asOf: end + 60_000, ap: '3c:a8:2a:00:00:09' });
  });

  it.each<[string, number | undefined, number | undefined]>([
    // [case, statusIntervalMs, asOf of the first statuses (s after the first event's minute), none before]
    ['with 1 s ticks: at the first tick after the first event, not the end of its minute', 1_000, 35],
    ['with 10 s ticks: at the first tick after it', 10_000, 40],
    ['by the window (default): at the end of its minute, as ever', undefined, 60],
  ])('a fresh processor publishes its first statuses %s', (_name, statusIntervalMs, firstS) => {
    const p = new StreamProcessor({ ...config, watermarkLagMs: 30_000, ...(statusIntervalMs ? { statusIntervalMs } : {}) });
    // A device checking every 500 ms from 34.2 s into a minute, each batch advanced as it arrives.
    let first: number | undefined;
    for (let t = 34_200; t < 75_000 && first === undefined; t += 500) {
      p.add(app(T0 + t, 400, { device: 'D1' }), T0 + t);
      const out = p.advance();
      if (out.statuses.length > 0) first = out.statuses[0]!.asOf - T0;
    }
    expect(first! - (first! % 1000)).toBe(firstS! * 1000);
  });

  it('refuses a status interval longer than a window', () => {
    expect(() => new StreamProcessor({ ...config, statusIntervalMs: 2 * MIN })).toThrow(/statusIntervalMs must be more than 0 and at most one window/);
  });

  it('keeps `since` while a state holds and resets it on change', () => {
    const p = new StreamProcessor(config);
    feed(p, 10, 'D3');
    const first = p.advance().statuses.find((s) => s.key === 'device:D3')!;
    for (let m = 10; m < 12; m++) p.add(app(T0 + m * MIN, 4500, { device: 'D3' }));
    const later = p.advance().statuses.find((s) => s.key === 'device:D3')!;
    expect(later.asOf).toBeGreaterThan(first.asOf);
    expect(later.since).toBe(first.since);
  });
});

describe('StreamProcessor: a backlog read with statuses held', () => {
  // The demo's backfill and a consumer reading a backlog advance with statuses held until they reach
  // the live edge: until the first evaluation, only the minutes that evaluation can see are kept.
  const minutes = 40;
  const feed = (p: StreamProcessor, evaluate: boolean) => {
    const random = mulberry32(9);
    for (let m = 0; m < minutes; m++) {
      for (let s = 0; s < 60; s += 10) p.add(app(T0 + m * MIN + s * 1000, 200 + random() * 3000, { device: `D${s / 10}` }, random() > 0.05));
      p.advance({ statuses: evaluate });
    }
  };
  const minutesKept = (p: StreamProcessor) => (JSON.parse(new TextDecoder().decode(p.snapshot())) as { windows: Array<[number]> }).windows.map(([start]) => (start - T0) / MIN);

  it('keeps only the minutes the live edge’s horizon can see, and judges them as a processor that evaluated throughout', () => {
    const held = new StreamProcessor(config);
    feed(held, false);
    // The live edge is in minute 39; its horizon (15 minutes) and the window straddling its start.
    expect(Math.min(...minutesKept(held))).toBe(minutes - 1 - 15 - 1);
    const throughout = new StreamProcessor(config);
    feed(throughout, true);
    const judged = held.advance().statuses;
    throughout.advance();
    expect(judged.length).toBeGreaterThan(0);
    // The same figures and verdicts; `since` differs: a held processor first judged them now.
    const judgement = ({ since: _since, ...status }: ScopeStatus) => status;
    expect(held.statuses().map(judgement)).toEqual(throughout.statuses().map(judgement));
  });
});

describe('StreamProcessor snapshot', () => {
  it('restores to a processor whose further output is identical', () => {
    const random = mulberry32(5);
    const events = Array.from({ length: 2000 }, (_, i) => app(T0 + i * 700, 200 + random() * 2500, { device: `D${i % 20}`, ap: '3c:a8:2a:00:00:0a' }, random() > 0.02, 5000 + i));
    const original = new StreamProcessor(config);
    for (const e of events.slice(0, 1000)) original.add(e);
    original.advance();
    const copy = StreamProcessor.restore(original.snapshot(), config);
    expect(copy.watermark).toBe(original.watermark);
    expect(copy.counters).toEqual(original.counters);
    const rest = events.slice(1000);
    const outA = rest.map((e) => [original.add(e), original.advance()] as const);
    const outB = rest.map((e) => [copy.add(e), copy.advance()] as const);
    const normalise = (outs: typeof outA) => JSON.stringify(outs.map(([o, out]) => [o, out.rollups.map(content), out.statuses]));
    const a = JSON.parse(normalise(outA));
    const b = JSON.parse(normalise(outB));
    for (let i = 0; i < a.length; i++) expect(b[i], `output ${i}`).toEqual(a[i]);
    // Replays of events counted before the snapshot are still recognised after it.
    expect(copy.add(events[999]!)).toBe('duplicate');
  });
});
