// The served frame's heat map in runs: each list of tiles written as runs of TILE_RUN tiles, and CSS
// that places every run exactly where the flat grid (ww-site-grid's `ul.tiles`) puts its tiles, so
// that each full run can be left unrendered by the browser until it comes near the screen
// (`content-visibility: auto`) with a placeholder of exactly its own height. Nothing on screen then
// depends on a run that was not drawn, and the first frame holds every tile in view but not the
// hundreds below it (docs/benchmarks.md, "Dashboard at 1,000 sites").
//
// A grid cannot be cut into boxes by row without knowing its column count, which only layout knows:
// here each run is a grid of its own with the flat grid's tracks, the column count `--c` comes from a
// container query on the list's width, a run starting mid-row goes back up into the row its
// predecessor left part-filled (a negative margin) and starts at that row's first free column, and
// its placeholder is as many rows tall as its tiles fill from there. Where a browser lacks what this
// takes (container queries, mod() and round()), or the list is wider than MAX_COLUMNS columns, the
// runs generate no box and the list is the flat grid, every tile drawn.
import { escapeHtml } from './site-markup.ts';
import { HEAT_TILE_GAP, HEAT_TILE_HEIGHT, HEAT_TILE_WIDTH } from './styles.ts';

/** Set on <html> by TILE_RUNS_SCRIPT while the first frame is drawn: full runs not in view are not drawn. */
export const RUNS_HELD_ATTRIBUTE = 'data-runs-held';
/** Set on each run the viewport shows when the frame is parsed (TILE_RUNS_SCRIPT). */
export const IN_VIEW_ATTRIBUTE = 'data-in-view';

/**
 * The script that goes right after the frame (first-frame.ts), run once it is parsed and before
 * anything is drawn: it holds back every full run (`content-visibility: hidden`, the placeholder its
 * exact height), so that the layout it then asks for lays out no tile; marks the runs that layout
 * puts in the viewport, which the first frame then draws; and lets the rest go (`content-visibility:
 * auto`, drawn in the frames after) once the first frame has been presented. `content-visibility:
 * auto` alone is not enough: Chromium draws whatever lies within one and a half screens of the
 * viewport, here the whole grid. The rects are read first and the runs marked after, so that layout
 * runs once. Without JavaScript it does not run, and the runs are `auto` from the start; nor on a
 * reload or a return through history, where the browser may restore a scroll position after the
 * script has seen the page at its top.
 */
export const TILE_RUNS_SCRIPT = `(()=>{if(performance.getEntriesByType('navigation')[0]?.type!=='navigate')return;const d=document.documentElement;d.setAttribute(${JSON.stringify(RUNS_HELD_ATTRIBUTE)},'');const h=innerHeight,runs=[...document.querySelectorAll('ww-app>.first-frame .tile-run')],seen=runs.map((r)=>{const b=r.getBoundingClientRect();return b.top<h&&b.bottom>0});runs.forEach((r,i)=>seen[i]&&r.setAttribute(${JSON.stringify(IN_VIEW_ATTRIBUTE)},''));const go=()=>d.removeAttribute(${JSON.stringify(RUNS_HELD_ATTRIBUTE)});new PerformanceObserver((l,o)=>{o.disconnect();go()}).observe({type:'paint'});setTimeout(go,5000)})()`;

/** Tiles a run holds (the last of a list holds the rest, and is always drawn). */
export const TILE_RUN = 52;
/** Runs the CSS knows the start of; a longer list's last run holds all the rest. */
export const MAX_RUNS = 64;
/** The widest grid laid out in runs, in columns (wider: the flat grid). */
export const MAX_COLUMNS = 80;

/** The frame's tiles are always the grid's default size (ww-site-grid's --tile-w, --tile-h: unset). */
const TILE_W = HEAT_TILE_WIDTH;
const TILE_H = HEAT_TILE_HEIGHT;
const GAP = HEAT_TILE_GAP;

/** A list of tiles as runs. `tiles` are each tile's link (site-markup.ts tileHtml); `label` is escaped here. */
export function tileRunsHtml(label: string, tiles: readonly string[]): string {
  let out = `<div class="tiles" role="list" aria-label="${escapeHtml(label)}">`;
  for (let start = 0, run = 0; start < tiles.length; run++) {
    const end = run === MAX_RUNS - 1 ? tiles.length : Math.min(tiles.length, start + TILE_RUN);
    out += `<div class="tile-run">`;
    for (let i = start; i < end; i++) out += `<div role="listitem">${tiles[i]}</div>`;
    out += `</div>`;
    start = end;
  }
  return `${out}</div>`;
}

/**
 * The runs' CSS, every selector under `root`. A full run (any but a list's last) is skipped until
 * near the screen; its placeholder is its rows: ceil((first column + TILE_RUN) / columns).
 */
export function tileRunsCss(root: string): string {
  const pitch = TILE_W + GAP;
  const row = TILE_H + GAP;
  const col = `mod(var(--i), var(--c))`;
  const flat = [
    `${root} section[data-group] { container-type: inline-size; }`,
    `${root} .tiles { margin: 0; padding: 0; display: grid; gap: ${GAP}px; grid-template-columns: repeat(auto-fill, ${TILE_W}px); grid-auto-rows: ${TILE_H}px; }`,
    `${root} .tile-run, ${root} .tile-run > div { display: contents; }`,
  ];
  const runs = [
    `${root} .tiles { display: block; }`,
    `${root} .tile-run { display: grid; gap: ${GAP}px; grid-template-columns: repeat(auto-fill, ${TILE_W}px); grid-auto-rows: ${TILE_H}px; margin-top: calc(${GAP}px - min(1, ${col}) * ${row}px); pointer-events: none; }`,
    `${root} .tile-run:first-child { margin-top: 0; }`,
    `${root} .tile-run > :first-child > a.tile { grid-column-start: calc(${col} + 1); }`,
    `${root} .tile-run a.tile { pointer-events: auto; }`,
    `${root} .tile-run:not(:last-child) { content-visibility: auto; contain-intrinsic-block-size: calc(round(up, (${col} + ${TILE_RUN}) / var(--c), 1) * ${row}px - ${GAP}px); overflow-clip-margin: 6px; }`,
    `html[${RUNS_HELD_ATTRIBUTE}] ${root} .tile-run:not(:last-child):not([${IN_VIEW_ATTRIBUTE}]) { content-visibility: hidden; }`,
    ...Array.from({ length: MAX_RUNS }, (_, n) => `${root} .tile-run:nth-child(${n + 1}) { --i: ${n * TILE_RUN}; }`),
  ];
  const columns = Array.from({ length: MAX_COLUMNS }, (_, k) => {
    const c = k + 1;
    return `@container (width >= ${c * pitch - GAP}px) and (width < ${(c + 1) * pitch - GAP}px) { ${root} .tiles { --c: ${c}; } }`;
  });
  return [
    ...flat,
    `@supports (margin-top: calc(mod(5px, 3px) * round(up, 1.5, 1))) {`,
    `@container (width >= ${pitch - GAP}px) and (width < ${(MAX_COLUMNS + 1) * pitch - GAP}px) {`,
    ...runs,
    `}`,
    ...columns,
    `}`,
  ].join('\n');
}
