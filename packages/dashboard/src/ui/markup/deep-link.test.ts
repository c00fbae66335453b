// The deep-link script, run as the page runs it, marks the document exactly for the fragments the
// app's router sends to a page other than the grid: the grid's own addresses (with or without a
// filter) and fragments that are not page addresses keep the frame; a page address that names no
// page is not found, and does not show the grid meanwhile.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../route.ts';
import { DEEP_LINK_ATTRIBUTE, DEEP_LINK_PAGES, DEEP_LINK_SCRIPT } from './deep-link.ts';
import { withFirstFrame } from './first-frame.ts';
import { FIRST_FRAME_CSS } from './first-frame-css.ts';

/** The attributes the script set on <html> for an address with this fragment. */
function marks(hash: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  runInNewContext(DEEP_LINK_SCRIPT, { location: { hash }, document: { documentElement: { setAttribute: (name: string, value: string) => (attributes[name] = value) } } });
  return attributes;
}

describe('the deep-link check', () => {
  it.each([
    ['', 'grid'],
    ['#', 'grid'],
    ['#/', 'grid'],
    ['#/?status=down', 'grid'],
    ['#/?q=RXX01&group=trust', 'grid'],
    ['#main', 'grid'],
    ['#/nowhere', 'not-found'],
    ['#/wallpaper', 'not-found'],
    ['#/sites/', 'not-found'],
    ['#/devicesx', 'not-found'],
    ['#/site/RXX01', 'not-found'],
    ['#/wall', 'wall'],
    ['#/wall?status=degraded', 'wall'],
    ['#/sites/RXX01', 'site'],
    ['#/sites/RXX%2001', 'site'],
    ['#/scopes/ward%3ARXX01-W03', 'scope'],
    ['#/devices', 'devices'],
    ['#/alerts', 'alerts'],
    ['#/slos', 'slos'],
    ['#/evidence', 'evidence'],
    ['#/evidence/2026-11', 'evidence'],
  ])('%j: the router shows %s, and the frame is kept only for the grid', (hash, page) => {
    expect(parseRoute(hash).page).toBe(page);
    // Marked with the fragment's first segment, which names the heading the frame shows meanwhile.
    const segment = hash.slice(2).split(/[/?]/)[0]!;
    expect(marks(hash)).toEqual(page === 'grid' ? {} : { [DEEP_LINK_ATTRIBUTE]: segment });
    // A page it names has its heading meanwhile; one not found, only "Loading…".
    if (page !== 'grid' && page !== 'not-found') expect(DEEP_LINK_PAGES[segment]).toBeDefined();
  });

  it('goes in the head of the page with the frame, and the frame’s CSS hides the grid where it marked, showing the page’s heading', () => {
    const page = '<!doctype html><html><head><title>t</title></head><body><ww-app></ww-app></body></html>';
    const framed = withFirstFrame(page, { sites: [], clock: { now: 1, asOf: 1 } }, 1);
    const head = framed.slice(0, framed.indexOf('</head>'));
    expect(head).toContain(`<script>${DEEP_LINK_SCRIPT}</script>`);
    expect(DEEP_LINK_SCRIPT).not.toMatch(/<\/script/i);
    expect(FIRST_FRAME_CSS).toContain(`html[${DEEP_LINK_ATTRIBUTE}] ww-app > .first-frame main > :not(.deep-link) { display: none; }`);
    for (const [page, heading] of Object.entries(DEEP_LINK_PAGES)) {
      expect(framed).toContain(`<h2 data-page="${page}">${heading}</h2>`);
      expect(FIRST_FRAME_CSS).toContain(`html[${DEEP_LINK_ATTRIBUTE}='${page}'] ww-app > .first-frame .deep-link h2[data-page='${page}'] { display: block;`);
    }
  });
});
