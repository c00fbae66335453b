import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeValues } from '@wardwatch/sketch';
import { mulberry32 } from '@wardwatch/simulator';
import { BinCounts } from './bin-counts.ts';
import { appTimeLost, logonTimeLost, screensPerCheck } from './time-lost.ts';

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());

/** Values stored as the processor stores them: one sketch per hour of `perHour` values, merged back. */
function stored(values: number[], perHour = 200): BinCounts {
  const bins = new BinCounts();
  for (let i = 0; i < values.length; i += perHour) bins.addSketch(encodeValues(values.slice(i, i + perHour)));
  return bins;
}
const exactExcess = (values: number[], t: number) => values.reduce((s, v) => s + Math.max(0, v - t), 0);

const DISTRIBUTIONS: Array<[string, (r: () => number) => number]> = [
  ['log-normal logons, median 20 s', (r) => 20_000 * Math.exp(0.6 * normal(r))],
  ['exponential, mean 25 s', (r) => -25_000 * Math.log(Math.max(r(), 1e-12))],
  ['uniform 5–90 s', (r) => 5_000 + 85_000 * r()],
  ['bimodal: 15 s and 70 s', (r) => (r() < 0.7 ? 15_000 : 70_000) * Math.exp(0.15 * normal(r))],
  ['heavy tail (Pareto, 12 s, α 1.8)', (r) => 12_000 / Math.pow(Math.max(r(), 1e-9), 1 / 1.8)],
  ['whole seconds (agents that round), median 25 s', (r) => 1000 * Math.round(25 * Math.exp(0.5 * normal(r)))],
];
const TARGETS_S = [10, 20, 30, 40, 60];

describe('time lost from stored sketches', () => {
  for (const [name, draw] of DISTRIBUTIONS) {
    const r = mulberry32(name.length * 7919);
    const values = Array.from({ length: 20_000 }, () => draw(r));
    const bins = stored(values);
    it.each(TARGETS_S)(`${name}: target %i s within 2 % of the exact sum`, (targetS) => {
      const exact = exactExcess(values, targetS * 1000) / 1000;
      const lost = logonTimeLost(bins, targetS);
      expect(lost.logons).toBe(values.length);
      expect(Math.abs(lost.seconds - exact) / exact).toBeLessThan(0.02);
      // Values exactly at the target (rounded timings) may fall either side of it.
      const above = values.filter((v) => v > targetS * 1000).length;
      const atOrAbove = values.filter((v) => v >= targetS * 1000).length;
      expect(lost.over).toBeGreaterThanOrEqual(above * 0.98 - 20);
      expect(lost.over).toBeLessThanOrEqual(atOrAbove * 1.02 + 20);
    });
  }

  it('holds for log-normal spreads (σ 0.25–1.5) and any target up to their 90th percentile (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.double({ min: 500, max: 60_000, noNaN: true }),
        fc.double({ min: 0.25, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (seed, median, sigma, q) => {
          const r = mulberry32(seed);
          const values = Array.from({ length: 3_000 }, () => median * Math.exp(sigma * normal(r)));
          const sorted = [...values].sort((a, b) => a - b);
          const target = sorted[Math.floor(q * (sorted.length - 1))]!;
          const exact = exactExcess(values, target);
          const got = stored(values, 97).excessOver(target).excess;
          return Math.abs(got - exact) / exact < 0.02;
        },
      ),
      { numRuns: 60, seed: 20_261_130 },
    );
  });

  it('gives 0 when nothing passes the target and counts every second when the target is 0', () => {
    const bins = stored([1_000, 2_000, 3_000]);
    expect(logonTimeLost(bins, 30).seconds).toBe(0);
    expect(logonTimeLost(bins, 0).seconds).toBeCloseTo(6, 1);
  });

  it('reads quantiles as the stored sketch does (1 % relative accuracy)', () => {
    const values = Array.from({ length: 1_001 }, (_, i) => 1_000 + i * 10);
    const bins = stored(values);
    expect(bins.quantile(0.5)! / 6_000).toBeCloseTo(1, 1);
    expect(Math.abs(bins.quantile(0.95)! - 10_500) / 10_500).toBeLessThan(0.011);
    expect(new BinCounts().quantile(0.5)).toBeNull();
  });
});

describe('application time lost', () => {
  it.each([
    // screens/h, interval s, screens per check
    [20, 60, 20 / 60],
    [30, 300, 2.5],
    [60, 60, 1],
  ])('%i screens an hour with a check every %i s: one check stands for %f screens', (screensPerHour, checkIntervalS, expected) => {
    expect(screensPerCheck({ screensPerHour, checkIntervalS })).toBeCloseTo(expected, 10);
  });

  it('counts real timings once each and weights synthetic checks by the screens they stand for', () => {
    const r = mulberry32(42);
    const synthetic = Array.from({ length: 6_000 }, () => 900 * Math.exp(0.7 * normal(r)));
    const real = Array.from({ length: 4_000 }, () => 1_400 * Math.exp(0.5 * normal(r)));
    const all = stored([...synthetic, ...real]);
    const realBins = stored(real);
    const volume = { screensPerHour: 30, checkIntervalS: 60 };
    for (const targetS of [1, 2, 3]) {
      const lost = appTimeLost(all, realBins, targetS, volume);
      const exactReal = exactExcess(real, targetS * 1000) / 1000;
      const exactSynthetic = (exactExcess(synthetic, targetS * 1000) / 1000) * 0.5;
      expect(lost.realTimings).toBe(4_000);
      expect(lost.checks).toBe(6_000);
      expect(lost.screens).toBe(3_000);
      expect(Math.abs(lost.realSeconds - exactReal) / exactReal).toBeLessThan(0.02);
      expect(Math.abs(lost.syntheticSeconds - exactSynthetic) / exactSynthetic).toBeLessThan(0.02);
      expect(lost.seconds).toBeCloseTo(lost.realSeconds + lost.syntheticSeconds, 6);
    }
  });
});
