import { describe, expect, it } from 'vitest';
import { beforeAfterChange, budgetDataSpan, capitalised, budgetLeftText, burnRateText, clockSkewText, heldByText, countText, dominantPhaseText, evidenceChange, evidenceChangeWords, evidenceDifference, durationText, evidenceHours, evidencePoundsRange, shareColumn, shareText, signalText, partMonthMeaning, monthsBeforeDataText, trendTableRows } from './index.ts';

describe('evidence figures read the same on the page and in print', () => {
  it.each([
    [null, '–'],
    [0, '0 ms'],
    [849.6, '850 ms'],
    [999.6, '1.0 s'],
    [1234, '1.2 s'],
    [15_500, '15.5 s'],
    [123_456, '123.5 s'],
  ])('a duration of %s ms reads %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });

  it.each([
    [null, '–'],
    [0, '0 %'],
    [1, '100 %'],
    [0.5, '50 %'],
    [0.123, '12 %'],
    [0.0421, '4.2 %'],
    [0.97, '97.0 %'],
    // Never "100 %" for what is not all, nor "0 %" for what is not none.
    [0.996, '99.6 %'],
    [0.9996, '99.96 %'],
    [0.99996, '99.996 %'],
    [0.0004, '0.04 %'],
    [0.00004, '0.004 %'],
  ])('a share of %s reads %s', (share, text) => {
    expect(shareText(share)).toBe(text);
  });

  // A column of shares takes the decimals its most exact figure needs, so it never mixes "88 %" with "93.3 %".
  it.each([
    [[0.88, 0.933], ['88.0 %', '93.3 %']],
    [[0.5, 0.25, null], ['50 %', '25 %', '–']],
    [[1, 0.9996, 0], ['100.00 %', '99.96 %', '0.00 %']],
    [[0.12, 0.0004, 0.97], ['12.00 %', '0.04 %', '97.00 %']],
    [[1, 0], ['100 %', '0 %']],
    [[], []],
  ])('a column of %j reads %j', (shares, texts) => {
    const write = shareColumn(shares);
    expect(shares.map(write)).toEqual(texts);
    // Each figure reads as shareText writes it, bar the trailing zeros the column adds.
    for (const share of shares) if (share !== null && share !== 0 && share !== 1) expect(Number.parseFloat(write(share))).toBe(Number.parseFloat(shareText(share)));
  });

  it.each([
    [12.34, '12.3'],
    [99.94, '99.9'],
    [1234.5, '1,235'],
  ])('%s hours read %s', (hours, text) => {
    expect(evidenceHours(hours)).toBe(text);
  });

  it.each([
    [-0.404, '−40 %'],
    [0.12, '+12 %'],
    [null, '–'],
    [-0.004, '0 %'],
    [0.004, '0 %'],
    [-0.005, '−0.5 %'],
    [-0.095, '−9.5 %'],
    [0.0051, '+0.5 %'],
  ])('a relative change of %s reads %s', (relative, text) => {
    expect(evidenceChange(relative)).toBe(text);
  });

  it.each([
    [-0.095, '9.5 % less'],
    [0.12, '12 % more'],
    [0.0049, 'no change'],
  ])('a relative change of %s in words is %s', (relative, text) => {
    expect(evidenceChangeWords(relative)).toBe(text);
  });

  it.each([
    [-1234, 'ms', '−1.2 s'],
    [400, 'ms', '+400 ms'],
    [0.02, 'share', '+2.0 pts'],
    [-0.105, 'share', '−10.5 pts'],
    [-0.0004, 'share', '0.0 pts'],
    [0.0004, 'share', '0.0 pts'],
    [-0.4, 'ms', '0 ms'],
    [null, 'share', '–'],
  ] as const)('a difference of %s (%s) reads %s', (value, unit, text) => {
    expect(evidenceDifference(value, unit)).toBe(text);
  });

  it.each([
    [{ change: -22_000, relativeChange: -0.58, unit: 'ms' }, '−22.0 s (−58 %)'],
    [{ change: 0.021, relativeChange: null, unit: 'share' }, '+2.1 pts'],
    [{ change: null, relativeChange: null, unit: 'ms' }, '–'],
  ] as const)('a before-and-after change %o reads %s', (figure, text) => {
    expect(beforeAfterChange(figure)).toBe(text);
  });

  it('writes money as a range and the dominant phase with its share', () => {
    expect(evidencePoundsRange({ low: 2075.6, high: 12456 })).toBe('£2,076 – £12,456');
    expect(dominantPhaseText({ label: 'Group Policy', shareOfTime: 0.41 })).toBe('Group Policy (41 %)');
    expect(dominantPhaseText({ label: 'Shell', shareOfTime: 0.064 })).toBe('Shell (6.4 %)');
    expect(dominantPhaseText(null)).toBe('not reported');
    expect(partMonthMeaning()).toBe('with data for under 90 % as many hours as the best-covered month');
  });
});

describe('an error budget left', () => {
  it.each([
    [0.829, '82.9 %'],
    [1, '100.0 %'],
    [0.0425, '4.25 %'],
    [0, '0.00 %'],
    [-0.0425, '−4.25 %'],
    [-10.817, '−1081.7 %'],
  ])('%s reads %s', (remaining, text) => {
    expect(budgetLeftText(remaining)).toBe(text);
  });
});

describe('a burn rate', () => {
  it.each<[number, string]>([
    [0, '0.00×'],
    [0.857, '0.86×'],
    [6.314, '6.31×'],
    [14.44, '14.4×'],
    [9.996, '10.0×'],
    [99.96, '100×'],
    [240.4, '240×'],
  ])('%s reads %s, on the SLO card and in the alert summary alike', (rate, text) => {
    expect(burnRateText(rate)).toBe(text);
  });
});

describe("what holds an alert's notifications: the alerts table and the SLO card say it alike", () => {
  it.each([
    ['maintenance', ' (planned maintenance)'],
    ['silence', ' (silenced)'],
    [undefined, ''],
  ] as const)('%s: "%s"', (kind, text) => {
    expect(heldByText(kind)).toBe(text);
  });
});

describe('a young SLO budget says how much data it is of', () => {
  const day = 86_400_000;
  it.each([
    [0.9, 28 * day, null],
    [1, 28 * day, null],
    [0.0001, 28 * day, '4 min'],
    [0.00001, 28 * day, '1 min'],
    [1 / 672, 28 * day, '1 h'],
    [0.05, 28 * day, '34 h'],
    [0.5, 28 * day, '14 days'],
  ])('coverage %s of a %s ms window reads %s', (coverage, windowMs, text) => {
    expect(budgetDataSpan(coverage, windowMs)).toBe(text);
  });
});

describe('a Wi-Fi signal', () => {
  it.each<[number | null | undefined, string]>([
    [null, '–'],
    [undefined, '–'],
    [-61.4, '−61 dBm'],
    [-75, '−75 dBm'],
    [-0.4, '0 dBm'],
    [0, '0 dBm'],
  ])('%s dBm reads %s, with a true minus as a budget has', (dbm, text) => {
    expect(signalText(dbm)).toBe(text);
  });
});

describe('a clock skew: the device page and its reason say it alike', () => {
  it.each<[number | undefined, string]>([
    [undefined, '–'],
    [0, 'in step'],
    [-1_400, 'in step'],
    [40_000, '40 s ahead'],
    [-40_000, '40 s behind'],
    [300_000, '5 min ahead'],
    [-300_012, '5 min behind'],
    [306_000, '5.1 min ahead'],
    [-150_000, '2.5 min behind'],
    [3_723_000, '62 min ahead'],
  ])('%s ms → %s', (ms, text) => {
    expect(clockSkewText(ms)).toBe(text);
  });
});

describe('a count', () => {
  it.each<[number | null | undefined, string]>([
    [undefined, '–'],
    [null, '–'],
    [0, '0'],
    [999, '999'],
    [-999, '-999'],
    [1_000, '1,000'],
    [4_888, '4,888'],
    [12_345, '12,345'],
    [-5_000, '-5,000'],
    [1_234_567, '1,234,567'],
    [1_234.5, '1,234.5'],
    [0.25, '0.25'],
  ])('%s → %s', (n, text) => {
    expect(countText(n)).toBe(text);
  });
});

describe("the trend table's rows: the months before the first with data as one", () => {
  // Months from 2025-12 on.
  const months = (hours: number[]) => hours.map((h, i) => ({ month: new Date(Date.UTC(2025, 11 + i, 1)).toISOString().slice(0, 7), hoursWithData: h }));
  const shape = (rows: ReturnType<typeof trendTableRows>) => rows.map((r) => ('from' in r ? `${r.from}..${r.to} (${r.months})` : r.month));
  it.each([
    ['ten empty months, then three with data', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 720, 745, 720], ['2025-12..2026-09 (10)', '2026-10', '2026-11', '2026-12']],
    ['every month with data', [720, 744, 720], ['2025-12', '2026-01', '2026-02']],
    ['one empty month first: its own row', [0, 720, 744], ['2025-12', '2026-01', '2026-02']],
    ['a gap after the first month with data keeps its rows', [0, 0, 720, 0, 0, 744], ['2025-12..2026-01 (2)', '2026-02', '2026-03', '2026-04', '2026-05']],
    ['no month with data', [0, 0, 0], ['2025-12..2026-02 (3)']],
    ['no months', [], []],
  ])('%s', (_case, hours, rows) => {
    expect(shape(trendTableRows(months(hours)))).toEqual(rows);
  });

  it('words the row as the page and the print list it', () => {
    expect(monthsBeforeDataText({ from: '2025-11', to: '2026-08', months: 10 })).toEqual({ month: '2025-11 – 2026-08', hoursLost: 'no data (10 months)' });
  });
});

describe('capitalised: a phrase opening a line', () => {
  it('capitalises the first letter and leaves the rest, a capital already there, and nothing, as they are', () => {
    expect(capitalised('planned maintenance until 13:00 (Core switch)')).toBe('Planned maintenance until 13:00 (Core switch)');
    expect(capitalised('ward 3: 12 % of logons over 30 s')).toBe('Ward 3: 12 % of logons over 30 s');
    expect(capitalised('Already')).toBe('Already');
    expect(capitalised('')).toBe('');
  });
});
