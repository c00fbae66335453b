import { describe, expect, it } from 'vitest';
import { RollupKey, RollupRecord, rollupIssue } from './rollup.ts';

const HOUR = Date.UTC(2026, 10, 24, 9);
const rollup = { scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start: HOUR, count: 3, valid: 4, good: 3, fast: 2, sketch: new Uint8Array([1, 2, 3]) };

describe('RollupRecord', () => {
  it.each([
    ['a window of the processor', rollup],
    ['an empty window (no sketch)', { ...rollup, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array(0) }],
    ['a row read back from SQLite (a Buffer)', { ...rollup, sketch: Buffer.from([1, 2, 3]) }],
    ['an hourly window', { ...rollup, resolution: '1h', start: HOUR }],
  ])('takes %s', (_name, value) => {
    expect(rollupIssue(value)).toBeUndefined();
    expect(RollupRecord.parse(value)).toEqual(value);
  });

  it.each([
    ['an unknown resolution', { ...rollup, resolution: '2m' }, /^resolution: /],
    ['a window not on its resolution', { ...rollup, resolution: '5m', start: HOUR + 60_000 }, /^start: must be aligned to the 5m resolution$/],
    ['more good than valid', { ...rollup, good: 5 }, /^good: must not exceed valid \(4\)$/],
    ['more fast than valid', { ...rollup, fast: 5 }, /^fast: must not exceed valid \(4\)$/],
    ['a negative count', { ...rollup, count: -1 }, /^count: /],
    ['a fractional count', { ...rollup, valid: 1.5 }, /^valid: /],
    ['a sketch as text', { ...rollup, sketch: 'AQID' }, /^sketch: must be bytes/],
    ['no scope', { ...rollup, scope: '' }, /^scope: /],
    ['not an object', null, /^\(rollup\): /],
  ])('refuses %s, naming the field', (_name, value, message) => {
    expect(rollupIssue(value)).toMatch(message);
  });

  it('keys a row by scope, metric, resolution and start', () => {
    const { scope, metric, resolution, start } = rollup;
    expect(RollupKey.parse(rollup)).toEqual({ scope, metric, resolution, start });
  });
});
