// The dashboard bench's reading of a Chromium trace (bench/dashboard.bench.ts): the main thread's CPU by
// phase up to a mark, each event's own time, and the raster CPU of the page's renderer; and its check
// that every tile in view was painted in the first presented frame.
import { describe, expect, it } from 'vitest';
import { firstFrameMisses, mainThreadCpu, rasterCpu, type TileInView } from '../bench/dashboard.bench.ts';

const T0 = 1_000_000; // µs
const nav = { name: 'navigationStart', ph: 'R', pid: 1, tid: 10, ts: T0, args: { data: { documentLoaderURL: 'http://127.0.0.1/' } } };
/** A complete event on the page's main thread, `at` and `ms` in ms from navigation start; its thread time equals its wall time. */
const task = (name: string, at: number, ms: number, where: { pid?: number; tid?: number } = {}) => ({ name, ph: 'X', pid: where.pid ?? 1, tid: where.tid ?? 10, ts: T0 + at * 1000, dur: ms * 1000, tdur: ms * 1000 });

describe('mainThreadCpu', () => {
  it.each([
    ['a task with named children: each its own time, the rest "other"', [task('RunTask', 10, 10), task('ParseHTML', 11, 4), task('Layout', 16, 3)], 100, { total: 10, parse: 4, layout: 3, other: 3 }],
    ['nested names: a child is taken out of its parent', [task('RunTask', 10, 10), task('UpdateLayoutTree', 10, 6), task('Layout', 12, 2)], 100, { total: 10, style: 4, layout: 2, other: 4 }],
    ['a task that began after the mark is not counted', [task('RunTask', 10, 5), task('Paint', 11, 2), task('RunTask', 120, 8), task('Paint', 121, 6)], 100, { total: 5, paint: 2, other: 3 }],
    // The next frame's task, whose animation callback is the mark: left out whole, not counted as
    // its own time less the children begun before the mark (that made "other" of its paint).
    ['a task still running at the mark is left out whole', [task('RunTask', 10, 5), task('Paint', 11, 2), task('RunTask', 95, 20), task('FireAnimationFrame', 96, 1), task('Paint', 101, 10)], 100, { total: 5, paint: 2, script: 0, other: 3 }],
    ['another thread or process is not the main thread', [task('RunTask', 10, 5), task('RunTask', 10, 50, { tid: 11 }), task('RunTask', 10, 50, { pid: 2 })], 100, { total: 5, other: 5 }],
  ])('%s', (_, events, markMs, expected) => {
    const cpu = mainThreadCpu([nav, ...events], markMs)!;
    for (const [phase, ms] of Object.entries(expected)) expect(cpu[phase as keyof typeof cpu], phase).toBeCloseTo(ms, 6);
  });

  it('says nothing without the navigation\'s start', () => {
    expect(mainThreadCpu([task('RunTask', 10, 5)], 100)).toBeUndefined();
  });
});

describe('rasterCpu', () => {
  it('sums the renderer\'s raster tasks on any of its threads up to the mark', () => {
    const events = [nav, task('RasterTask', 50, 3, { tid: 20 }), task('RasterTask', 60, 4, { tid: 21 }), task('RasterTask', 150, 9, { tid: 20 }), task('RasterTask', 50, 7, { pid: 2, tid: 20 }), task('Paint', 50, 5)];
    expect(rasterCpu(events, 100)).toBeCloseTo(7, 6);
  });
});

describe('firstFrameMisses', () => {
  const FIRST = 250; // the first contentful paint, ms
  const tile = (site: string, paint?: Partial<NonNullable<TileInView['paint']>>): TileInView => ({ site, x: 20, y: 100, w: 68, h: 30, paint: { renderTime: FIRST, x: 31, y: 108, w: 40, h: 14, ...paint } });
  it.each([
    ['painted in the first frame, in its box', [tile('A')], []],
    ['its top edge alone in view: painted then, its text out of view (an empty rect)', [tile('A', { x: 0, y: 0, w: 0, h: 0 })], []],
    ['never painted', [tile('A')].map((t) => ({ ...t, paint: undefined })), ['A: not painted']],
    ['painted a frame later', [tile('A'), tile('B', { renderTime: FIRST + 16.7 })], ['B: first presented at 266.7 ms, after the first frame (250.0 ms)']],
    ['painted somewhere else: it moved', [tile('A', { y: 200 })], ['A: painted at 31,200, outside its box at 20,100']],
    ['nothing in view is a failure, not a pass', [], ['no tile in view: nothing to check']],
  ])('%s', (_, inView, expected) => expect(firstFrameMisses(inView, FIRST)).toEqual(expected));
});
