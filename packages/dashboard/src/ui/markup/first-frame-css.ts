// The first frame's styles, for the document (the build appends them to app.css): the same rule texts
// the components use in their shadow roots (styles.ts), each selector scoped to the frame's root, so
// that they style nothing else on the page — the frame is in the light DOM of <ww-app>, where the app's
// shadow root hides it once the scripts have run.
import { DEEP_LINK_ATTRIBUTE, DEEP_LINK_PAGES } from './deep-link.ts';
import { FIRST_FRAME_CLASS, FIRST_FRAME_END_ID } from './first-frame.ts';
import { tileRunsCss } from './tile-runs.ts';
import { APP_HEADER_CSS, APP_MAIN_CSS, BADGE_CSS, CAUSES_CSS, PALETTE_CSS, SITE_GRID_CSS, SITE_VIEW_CSS } from './styles.ts';

/**
 * Each rule's selectors prefixed with `scope` (".x a, b" → ".s .x a, .s b"). For the flat rule lists
 * of styles.ts only: no at-rules, no nesting, no braces or commas inside selectors.
 */
export function scopeCss(css: string, scope: string): string {
  return css.replace(/([^{}]+)\{([^{}]*)\}/g, (_, selectors: string, body: string) => {
    const scoped = selectors
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => `${scope} ${s}`)
      .join(', ');
    return `${scoped} {${body}}\n`;
  });
}

const root = `ww-app > .${FIRST_FRAME_CLASS}`;

/** The frame laid out as ww-app lays out its shadow root (a column as tall as the window), with the palette. */
export const FIRST_FRAME_CSS = [
  `/* The server's first frame (first-frame.ts): the grid's own rules, scoped to the frame. */`,
  `${root} { display: flex; flex-direction: column; min-height: 100vh; ${PALETTE_CSS.replace(/\s+/g, ' ').trim()} }`,
  // No box until the frame's last element is parsed: the page's rendering waits for it (the expect
  // link), but a style and layout forced meanwhile (the browser focusing the new page runs one, traced
  // mid-parse in about half the loads: 0.5-19 ms of main-thread CPU) would otherwise lay out the tiles
  // parsed so far, and lay them out again at the end.
  `${root}:not(:has(> #${FIRST_FRAME_END_ID})) { display: none; }`,
  // A deep link's page is not the grid: the frame's header, and that page's heading in place of the
  // grid (deep-link.ts), so the page is not blank while the scripts load.
  `html[${DEEP_LINK_ATTRIBUTE}] ${root} main > :not(.deep-link) { display: none; }`,
  `${root} .deep-link, ${root} .deep-link h2 { display: none; }`,
  `html[${DEEP_LINK_ATTRIBUTE}] ${root} .deep-link { display: block; }`,
  ...Object.keys(DEEP_LINK_PAGES).map((page) => `html[${DEEP_LINK_ATTRIBUTE}='${page}'] ${root} .deep-link h2[data-page='${page}'] { display: block; margin: 0 0 8px; font-size: 1.5rem; }`),
  `${root} .deep-link .loading { margin: 0; color: var(--muted); }`,
  `${root} .site-grid { display: block; }`,
  `${root} .causes { display: block; margin-bottom: 16px; }`,
  `${root} .badge-host { display: inline-flex; }`,
  scopeCss(APP_HEADER_CSS, root),
  scopeCss(APP_MAIN_CSS, root),
  scopeCss(SITE_GRID_CSS, root),
  scopeCss(SITE_VIEW_CSS, root),
  scopeCss(BADGE_CSS, root),
  scopeCss(CAUSES_CSS, `${root} .causes`),
  // The heat map's lists as the frame writes them: in runs, those off screen not drawn (tile-runs.ts).
  tileRunsCss(root),
].join('\n');
