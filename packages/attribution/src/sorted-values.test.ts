import { describe, expect, it } from 'vitest';
import { mad, median, SortedSample, standsOut, standsOutOf } from './robust.ts';
import { SortedValues } from './sorted-values.ts';

const rule = { deviations: 3, minExcess: 500, minRatio: 2 };

/** Seeded cases: lists of whole milliseconds or of rates in 0..1, with repeats, of 0 to 80 values. */
function cases(seed: number, n: number): Array<{ xs: number[]; random: () => number }> {
  let a = seed;
  const random = () => {
    a = (a * 16807) % 2147483647;
    return (a - 1) / 2147483646;
  };
  return Array.from({ length: n }, () => {
    const length = Math.floor(random() * 81);
    const rates = random() < 0.5;
    const xs = Array.from({ length }, () => (rates ? Math.round(random() * 20) / 20 + (random() < 0.5 ? random() : 0) : Math.round(random() * 50_000)));
    return { xs, random };
  });
}

describe('SortedSample', () => {
  it('gives median(), mad() and standsOut() exactly, without sorting again', () => {
    for (const { xs, random } of cases(11, 400)) {
      const sample = SortedSample.of(xs);
      expect(sample.median()).toBe(median(xs));
      if (xs.length > 0) expect(sample.madAbout(sample.median()!)).toBe(mad(xs));
      const value = random() * 60_000;
      expect(standsOutOf(value, sample, rule)).toBe(standsOut(value, xs, rule));
    }
  });

  it('takes values back out as a filter would, and says when one is not there', () => {
    for (const { xs, random } of cases(12, 300)) {
      const taken = xs.length === 0 ? [] : [...new Set(Array.from({ length: Math.floor(random() * 10) }, () => Math.floor(random() * xs.length)))];
      const rest = xs.filter((_, i) => !taken.includes(i));
      const without = SortedSample.of(xs).without(taken.map((i) => xs[i]!))!;
      expect([...without.sorted]).toEqual([...SortedSample.of(rest).sorted]);
    }
    expect(SortedSample.of([1, 2, 3]).without([4])).toBeUndefined();
    expect(SortedSample.of([1, 2, 3]).without([2, 2])).toBeUndefined();
    expect(SortedSample.of([]).without([1])).toBeUndefined();
  });
});

describe('SortedValues', () => {
  it('holds the same values in order as a sort would, through inserts, removals and resets', () => {
    for (const { xs: start, random } of cases(13, 200)) {
      const kept = new SortedValues();
      kept.reset(start);
      const model = [...start];
      for (let op = 0; op < 200; op++) {
        const v = random() < 0.5 && model.length > 0 ? model[Math.floor(random() * model.length)]! : Math.floor(random() * 100);
        if (random() < 0.5) {
          kept.insert(v);
          model.push(v);
        } else {
          const at = model.indexOf(v);
          expect(kept.remove(v)).toBe(at >= 0);
          if (at >= 0) model.splice(at, 1);
        }
      }
      expect([...kept.sample().sorted]).toEqual([...Float64Array.from(model).sort()]);
      expect(kept.size).toBe(model.length);
    }
  });
});
