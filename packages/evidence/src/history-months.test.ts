import { describe, expect, it } from 'vitest';
import { encodeValues, sketchBins } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { BinCounts } from './bin-counts.ts';
import { mergeMonth } from './history-months.ts';
import { londonMonth } from './months.ts';

const OCT = londonMonth('2026-10');
const rec = (scope: string, metric: string, start: number, values: number[], fast = values.length): RollupRecord => ({
  scope, metric, resolution: '1h', start, count: values.length, valid: values.length + 1, good: values.length, fast, sketch: encodeValues(values),
});

describe('a month merged into one record per scope and metric', () => {
  it('adds counts and keeps exactly the merged bins; hours with data are the site\'s own', () => {
    const a = [12_000, 31_000, 45_000, 0];
    const b = [9_000, 60_000, 31_500];
    const records = [
      rec('site:S1', 'logon.totalMs', OCT.from, a, 2),
      rec('site:S1', 'logon.totalMs', OCT.from + 3_600_000, b, 1),
      rec('siteapp:S1/epr', 'app.totalMs', OCT.from + 7_200_000, [300, 2_500]),
    ];
    const { records: merged, hours } = mergeMonth(records, OCT);
    expect(hours.sort()).toEqual([OCT.from, OCT.from + 3_600_000]);
    const logon = merged.find((r) => r.metric === 'logon.totalMs')!;
    expect(logon).toMatchObject({ scope: 'site:S1', start: OCT.from, resolution: '1h', count: 7, valid: 9, good: 7, fast: 3 });
    const expected = new BinCounts().addSketch(records[0]!.sketch).addSketch(records[1]!.sketch);
    const got = new BinCounts().addSketch(logon.sketch);
    for (const t of [0, 10_000, 30_000, 40_000]) {
      expect(got.excessOver(t).over).toBeCloseTo(expected.excessOver(t).over, 9);
      expect(got.excessOver(t).excess).toBeCloseTo(expected.excessOver(t).excess, 6);
    }
    expect(got.quantile(0.5)).toBe(expected.quantile(0.5));
    expect(sketchBins(logon.sketch).counts.reduce((s, c) => s + c, 0)).toBe(7);
    expect(merged.find((r) => r.scope === 'siteapp:S1/epr')).toMatchObject({ count: 2, start: OCT.from });
  });

  it('keeps a record without values (counts only) as counts', () => {
    const { records } = mergeMonth([{ ...rec('site:S1', 'app.totalMs', OCT.from, []), count: 0, valid: 5, good: 4, fast: 3, sketch: new Uint8Array(0) }], OCT);
    expect(records[0]).toMatchObject({ count: 0, valid: 5, good: 4, fast: 3, sketch: new Uint8Array(0) });
  });
});
