// The heat map's lists in runs, as text: where each list is cut, every tile in a list item, the label
// escaped; and the CSS's column rules: one for every width up to the widest, meeting edge to edge,
// each naming the column count the flat grid has at that width.
import { describe, expect, it } from 'vitest';
import { MAX_COLUMNS, MAX_RUNS, TILE_RUN, tileRunsCss, tileRunsHtml } from './tile-runs.ts';
import { HEAT_TILE_GAP, HEAT_TILE_WIDTH } from './styles.ts';

/** The flat grid's pitch: a tile and a gap (76 + 4 px). */
const PITCH = HEAT_TILE_WIDTH + HEAT_TILE_GAP;

const tiles = (n: number) => Array.from({ length: n }, (_, i) => `<a class="tile">${i}</a>`);
/** Each run's tile count, in order. */
const runs = (html: string) => html.split('<div class="tile-run">').slice(1).map((run) => run.split('<div role="listitem">').length - 1);

describe('tileRunsHtml', () => {
  it.each([
    ['one tile', 1, [1]],
    ['a run exactly', TILE_RUN, [TILE_RUN]],
    ['a run and one', TILE_RUN + 1, [TILE_RUN, 1]],
    ['three runs and a part', 3 * TILE_RUN + 7, [TILE_RUN, TILE_RUN, TILE_RUN, 7]],
    ['past the runs the CSS knows: the last holds the rest', MAX_RUNS * TILE_RUN + 100, [...Array<number>(MAX_RUNS - 1).fill(TILE_RUN), TILE_RUN + 100]],
  ])('%s', (_, n, expected) => {
    const html = tileRunsHtml('OK sites', tiles(n));
    expect(runs(html)).toEqual(expected);
    // Every tile once, in order, each in its own list item.
    expect([...html.matchAll(/<div role="listitem"><a class="tile">(\d+)<\/a><\/div>/g)].map((m) => Number(m[1]))).toEqual(tiles(n).map((_, i) => i));
  });

  it('is one list, labelled, the label escaped', () => {
    expect(tileRunsHtml('<b>"x"</b> sites', tiles(2))).toMatch(/^<div class="tiles" role="list" aria-label="&lt;b&gt;&quot;x&quot;&lt;\/b&gt; sites"><div class="tile-run">/);
  });
});

describe('tileRunsCss', () => {
  const css = tileRunsCss('.f');
  const ranges = [...css.matchAll(/@container \(width >= ([\d.]+)px\) and \(width < ([\d.]+)px\) \{ \.f \.tiles \{ --c: (\d+); \} \}/g)].map((m) => ({ from: Number(m[1]), to: Number(m[2]), c: Number(m[3]) }));
  /** The flat grid's column count at a width: repeat(auto-fill, 76px) with 4 px gaps. */
  const flatColumns = (width: number) => Math.floor((width + HEAT_TILE_GAP) / PITCH);

  it('has a column count for every width from one column to the widest, edge to edge', () => {
    expect(ranges.map((r) => r.c)).toEqual(Array.from({ length: MAX_COLUMNS }, (_, i) => i + 1));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
  });

  it.each([HEAT_TILE_WIDTH, 100, 2 * PITCH - HEAT_TILE_GAP - 0.1, 2 * PITCH - HEAT_TILE_GAP, 1366 - 40, 1880, 1865, 2520, 3800, PITCH * MAX_COLUMNS - 4.5])('names the flat grid’s columns at %s px', (width) => {
    const matching = ranges.filter((r) => width >= r.from && width < r.to);
    expect(matching.map((r) => r.c)).toEqual([flatColumns(width)]);
  });

  it('lays runs out only where it knows the columns, and knows the start of every run it writes', () => {
    expect(css).toContain(`@container (width >= ${HEAT_TILE_WIDTH}px) and (width < ${PITCH * (MAX_COLUMNS + 1) - HEAT_TILE_GAP}px) {`);
    for (let n = 1; n <= MAX_RUNS; n++) expect(css).toContain(`.f .tile-run:nth-child(${n}) { --i: ${(n - 1) * TILE_RUN}; }`);
  });
});
