// A deep link (#/wall, a site's page, …) must not paint the server's first frame's grid until the
// scripts show its own page: the fragment never reaches the server, so the page is the grid's. A
// one-line script in the page's head, run before anything is drawn, marks the document with the page
// the fragment names, and the frame's CSS shows the header and that page's heading in place of the
// grid (first-frame-css.ts), so a deep link is never a blank page while the scripts load. The
// server allows this script by its hash in the CSP (server/src/dashboard-page.ts); without JavaScript
// it does not run, and the grid as served is shown, as for any address.

/** The attribute set on <html> when the address names a page other than the grid: its value is the fragment's first segment ("wall", "sites", …). */
export const DEEP_LINK_ATTRIBUTE = 'data-deep-link';

/**
 * The fragments route.ts's parseRoute sends to a page other than the grid: every page address but
 * the grid's own ("#/", "#/?filter"), a page not found included (deep-link.test.ts holds the two
 * together).
 */
export const OTHER_PAGE_HASH = /^#\/(?!\?|$)/;

/** The script's text, as it goes in the page's <script> (and is hashed for the CSP). */
export const DEEP_LINK_SCRIPT = `if(${String(OTHER_PAGE_HASH)}.test(location.hash))document.documentElement.setAttribute(${JSON.stringify(DEEP_LINK_ATTRIBUTE)},location.hash.slice(2).split(/[/?]/)[0])`;

/** Each page a deep link can name (the fragment's first segment), with the heading the frame shows for it while the scripts load. */
export const DEEP_LINK_PAGES: Readonly<Record<string, string>> = {
  wall: 'Wall',
  sites: 'Site',
  scopes: 'Scope',
  devices: 'Degraded devices',
  alerts: 'Alerts',
  slos: 'Service levels',
  evidence: 'Evidence for funding bids',
};
