import { describe, expect, it } from 'vitest';
import { clockSkew } from './format.ts';

describe('clockSkew', () => {
  it.each<[number | undefined, string]>([
    [undefined, '–'],
    [0, 'in step'],
    [-1_400, 'in step'],
    [40_000, '40 s ahead'],
    [-40_000, '40 s behind'],
    [300_000, '5 min ahead'],
    [-300_012, '5 min behind'],
    [303_000, '5 min 3 s ahead'],
    [-150_000, '2 min 30 s behind'],
    [3_723_000, '62 min ahead'],
  ])('%s ms → %s', (ms, text) => {
    expect(clockSkew(ms)).toBe(text);
  });
});
