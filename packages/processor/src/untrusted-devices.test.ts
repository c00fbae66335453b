// What a device with a wrong clock or a bogus sequence number can do to everyone else's figures:
// nothing. Time is passed in (the receiving clock of each flush), so these run as plain tables.
import { describe, expect, it } from 'vitest';
import type { RollupRecord, ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import { StreamProcessor } from './stream-processor.ts';
import { app, MIN, mulberry32, T0 } from './test-events.fixture.ts';

const DEVICES = ['D1', 'D2', 'D3', 'D4', 'D5'];
const SKEWED = 'D5';
const FLUSH = 15_000;
const config = { watermarkLagMs: 30_000, allowedLatenessMs: 60_000, deviceResolutions: ['1m', '1h'] as const };

/** D5's clock: right for 10 minutes, 5 minutes ahead for 10, 5 minutes behind for 10, then right. */
function skewAt(t: number): number {
  const m = (t - T0) / MIN;
  return m >= 10 && m < 20 ? 5 * MIN : m >= 20 && m < 30 ? -5 * MIN : 0;
}

interface Flush {
  receivedAt: number;
  events: TelemetryEvent[];
}

/**
 * 40 minutes of five devices measuring every 5 s and flushing every 15 s, received 1 s later. The
 * values are the same whatever the clocks say. D5's clock is wrong when `skewed`; its events are
 * either corrected on receipt as the gateway does (ts true, skewMs set on every event) or not.
 */
function traffic(mode: 'corrected' | 'uncorrected', skewed: boolean): Flush[] {
  const random = mulberry32(11);
  const seq = new Map<string, number>();
  const flushes: Flush[] = [];
  for (let t = T0 + FLUSH; t <= T0 + 40 * MIN; t += FLUSH) {
    const events: TelemetryEvent[] = [];
    for (const [d, device] of DEVICES.entries()) {
      for (let k = 0; k < 3; k++) {
        const measured = t - FLUSH + k * 5000 + d * 200;
        const skew = skewed && device === SKEWED ? skewAt(measured) : 0;
        const totalMs = Math.round(300 + random() * 900);
        const n = (seq.get(device) ?? 0) + 1;
        seq.set(device, n);
        const where = { device, ward: d < 3 ? 'W1' : 'W2' };
        const event = app(mode === 'uncorrected' ? measured + skew : measured, totalMs, where, true, n);
        events.push(mode === 'corrected' ? { ...event, skewMs: skew } : event);
      }
    }
    flushes.push({ receivedAt: t + 1000, events });
  }
  return flushes;
}

interface Run {
  /** Statuses of each evaluation, by key. */
  evaluations: Array<Map<string, ScopeStatus>>;
  rollups: RollupRecord[];
  watermarks: Array<{ receivedAt: number; watermark: number }>;
}

function run(flushes: Flush[], capped = true): Run {
  const p = new StreamProcessor(config);
  const result: Run = { evaluations: [], rollups: [], watermarks: [] };
  for (const { receivedAt, events } of flushes) {
    for (const e of events) p.add(e, capped ? receivedAt : undefined);
    const out = p.advance();
    result.rollups.push(...out.rollups);
    if (out.statuses.length > 0) result.evaluations.push(new Map(p.statuses().map((s) => [s.key, s])));
    result.watermarks.push({ receivedAt, watermark: p.watermark });
  }
  result.rollups.push(...p.flush().rollups);
  return result;
}

const others = (rollups: RollupRecord[]) => rollups.filter((r) => r.scope.startsWith('device:') && r.scope !== `device:${SKEWED}`);
const siteAsOf = (r: Run) => r.evaluations.map((e) => e.get('site:S1')!.asOf);

describe('a device whose clock is 5 minutes ahead, then 5 minutes behind', () => {

  it('corrected on receipt: every other scope sees exactly what it saw with the clock right; the device shows its skew', () => {
    const control = run(traffic('corrected', false));
    const skewed = run(traffic('corrected', true));
    expect(skewed.evaluations.length).toBe(control.evaluations.length);
    skewed.evaluations.forEach((evaluation, i) => {
      for (const [key, status] of control.evaluations[i]!) {
        if (key === `device:${SKEWED}`) continue;
        expect(evaluation.get(key), `${key} at evaluation ${i}`).toEqual(status);
      }
    });
    const device = skewed.evaluations.map((e) => e.get(`device:${SKEWED}`)!);
    const at = (minute: number) => device.find((s) => s.asOf === T0 + minute * MIN)!;
    expect(at(15)).toMatchObject({ status: 'degraded', reason: 'clock 5 min ahead of the server', figures: { clockSkewMs: 5 * MIN } });
    expect(at(25)).toMatchObject({ status: 'degraded', reason: 'clock 5 min behind the server', figures: { clockSkewMs: -5 * MIN } });
    expect(at(35)).toMatchObject({ status: 'ok', reason: '', figures: { clockSkewMs: 0 } });
    // Its measurements were counted as the others were, at their true times.
    expect(at(35).figures.appChecks).toBe(control.evaluations.find((e) => e.get('site:S1')!.asOf === T0 + 35 * MIN)!.get(`device:${SKEWED}`)!.figures.appChecks);
  });

  it('uncorrected: the watermark never passes the receiving clock + tolerance − lag; the others’ rollups are unchanged', () => {
    const control = run(traffic('uncorrected', false));
    const skewed = run(traffic('uncorrected', true));
    for (const { receivedAt, watermark } of skewed.watermarks) expect(watermark).toBeLessThanOrEqual(receivedAt);
    expect(others(skewed.rollups)).toEqual(others(control.rollups));
    // Freshness and every other device's figures are the control's, evaluation by evaluation.
    expect(siteAsOf(skewed)).toEqual(siteAsOf(control));
    skewed.evaluations.forEach((evaluation, i) => {
      for (const [key, status] of control.evaluations[i]!) {
        if (key.startsWith('device:') && key !== `device:${SKEWED}`) expect(evaluation.get(key), `${key} at evaluation ${i}`).toEqual(status);
      }
    });
  });

  it('without the receiving clock (the cap off), the same device drags the site’s freshness minutes ahead', () => {
    const uncapped = run(traffic('uncorrected', true), false);
    const ahead = uncapped.watermarks.map(({ receivedAt, watermark }) => watermark - receivedAt);
    expect(Math.max(...ahead)).toBeGreaterThan(4 * MIN);
  });
});

describe('a device that sends seq 2^53 − 1', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const stream = (from: number, to: number, first: number) =>
    Array.from({ length: to - from }, (_, i) => app(T0 + (from + i) * 20_000, 400, { device: 'D1' }, true, first + i));

  it('stays counted: the next normal seq undoes the jump, recent seqs are still duplicates, across a restore', () => {
    const p = new StreamProcessor(config);
    for (const e of stream(0, 30, 1)) expect(p.add(e, e.ts)).toBe('counted');
    const poison = app(T0 + 30 * 20_000, 400, { device: 'D1' }, true, MAX);
    expect(p.add(poison, poison.ts)).toBe('counted');
    const after = stream(31, 60, 31);
    for (const e of after) p.add(e, e.ts);
    expect(p.counters).toMatchObject({ counted: 60, duplicates: 0, seqResets: 1 });
    // A retried batch of the last events is recognised, before and after a restore from a snapshot.
    for (const e of after.slice(-5)) expect(p.add({ ...e }, e.ts)).toBe('duplicate');
    const restored = StreamProcessor.restore(p.snapshot(), config);
    for (const e of after.slice(-5)) expect(restored.add({ ...e }, e.ts)).toBe('duplicate');
    const next = stream(60, 61, 60)[0]!;
    expect(restored.add(next, next.ts)).toBe('counted');
    // Counters carry on from the snapshot (5 duplicates before it, 5 after).
    expect(restored.counters).toMatchObject({ counted: 61, duplicates: 10, seqResets: 1 });
    const device = restored.advanceTo(next.ts).statuses.find((s) => s.key === 'device:D1')!;
    expect(device).toMatchObject({ status: 'ok' });
    expect(device.figures.appChecks).toBeGreaterThan(0);
  });

  it('a snapshot taken right after the absurd seq keeps the window from before it', () => {
    const p = new StreamProcessor(config);
    const before = stream(0, 10, 1);
    for (const e of before) p.add(e, e.ts);
    const poison = app(T0 + 10 * 20_000, 400, { device: 'D1' }, true, MAX);
    p.add(poison, poison.ts);
    const restored = StreamProcessor.restore(p.snapshot(), config);
    // A retry of the last batch from before it is still a duplicate; the next event is counted.
    for (const e of before.slice(-3)) expect(restored.add({ ...e }, e.ts)).toBe('duplicate');
    const next = stream(11, 12, 11)[0]!;
    expect(restored.add(next, next.ts)).toBe('counted');
    expect(restored.counters).toMatchObject({ counted: 12, duplicates: 3, seqResets: 1 });
  });

  it('restores the skew and the replay state from a snapshot written before they existed', () => {
    const p = new StreamProcessor(config);
    for (const e of stream(0, 10, 1)) p.add({ ...e, skewMs: 150_000 }, e.ts);
    const json = JSON.parse(new TextDecoder().decode(p.snapshot())) as { devices: unknown[][] };
    expect(json.devices[0]!.slice(7)).toEqual([T0 + 9 * 20_000, 150_000, T0 + 9 * 20_000, null]);
    // The rows of an older snapshot stop at the bitmap: the device's last live event stands in.
    json.devices = json.devices.map((row) => row.slice(0, 7));
    const old = StreamProcessor.restore(new TextEncoder().encode(JSON.stringify(json)), config);
    const retried = stream(5, 6, 6)[0]!;
    expect(old.add(retried, retried.ts)).toBe('duplicate');
    const current = StreamProcessor.restore(p.snapshot(), config);
    const status = current.advanceTo(T0 + 5 * MIN).statuses.find((s) => s.key === 'device:D1')!;
    expect(status).toMatchObject({ status: 'degraded', reason: 'clock 2.5 min ahead of the server', figures: { clockSkewMs: 150_000 } });
  });
});
