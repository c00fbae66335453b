// The first frame: the site grid as the app first draws it at #/ (no filter, grouped by status),
// written as HTML text by the server into the dashboard's page, so that the browser paints every tile
// with the page's first bytes instead of after the scripts, the site list and a render. The app takes
// it over when its scripts run: it reads the same site list and clock from the page (firstFrameData),
// draws the same grid in its shadow root in the task that defines it — before the next frame — and
// drops these nodes. What is written here mirrors ww-app's header and ww-site-grid's default view;
// tests/dashboard-first-frame.browser.test.ts holds the two to the same tiles, cards and places.
import type { CauseSummary, SiteSummary, StreamClock } from '@wardwatch/schema';
import { causesHtml } from './causes-markup.ts';
import { HORIZON_WORDS, STATUS_LABEL, time } from '../format.ts';
import { estateFreshness, isSiteStale } from '../freshness.ts';
import { ATTENTION_LIMIT, CARD_LIMIT, choices, GROUPINGS, groupSites, needsAttention, STATUSES_WORST_FIRST } from '../site-filter.ts';
import { DEEP_LINK_ATTRIBUTE, DEEP_LINK_PAGES, DEEP_LINK_SCRIPT } from './deep-link.ts';
import { cardHtml, escapeHtml, tileHtml, type SiteView } from './site-markup.ts';
import { TILE_RUNS_SCRIPT, tileRunsHtml } from './tile-runs.ts';

/** What the first frame is drawn from, and what the app reads back from the page to take it over. */
export interface FirstFrameData {
  /** The caller's sites, as GET /api/sites answers them (their trusts only, alerts counted, worst first). */
  sites: SiteSummary[];
  /** The server's clock when the page was written, as the stream's `clock` message says it. */
  clock: StreamClock;
  /** The likely causes, as GET /api/causes answers the caller (the panel above the grid). */
  causes?: CauseSummary[];
}

/** The element id of the page's JSON copy of the data (a script block of type application/json). */
export const FIRST_FRAME_DATA_ID = 'first-frame-data';
/** The class of the first frame's root, inside <ww-app>. */
export const FIRST_FRAME_CLASS = 'first-frame';
/** The id of the frame's last element (the frame has no box until it is parsed: first-frame-css.ts). */
export const FIRST_FRAME_END_ID = 'first-frame-end';
/**
 * The id of an empty element after the frame and the tile runs' script, which the page's first
 * rendering waits for: so no frame is drawn between the frame's end and that script (the parser may
 * yield anywhere; once, a bench run drew all 1,000 tiles that way).
 */
export const FIRST_FRAME_READY_ID = 'first-frame-ready';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The header bar as ww-app draws it before the stream connects (Connecting, no account yet). */
function header(sites: readonly SiteSummary[]): string {
  const trust = sites[0]?.trust ?? '';
  const asOf = Math.max(0, ...sites.map((s) => s.asOf));
  return `<header><h1><a href="#/">wardwatch</a></h1><span class="trust">${escapeHtml(trust)}</span>`
    + `<nav aria-label="Main"><a href="#/">Sites</a><a href="#/wall">Wall</a><a href="#/devices">Degraded devices</a><a href="#/alerts">Alerts</a><a href="#/slos">SLOs</a><a href="#/evidence">Evidence</a>`
    + `<span class="live" title="Live updates"><span class="dot" aria-hidden="true"></span>Connecting · ${time(asOf)}</span><span class="account"></span></nav></header>`;
}

/** ww-app's banner for stale figures (the processor behind the clock) or silent sites; the stream's state is not known yet. */
function banner(data: FirstFrameData, wallNow: number): string {
  const freshness = estateFreshness({ sites: data.sites, clock: data.clock, connected: false, disconnectedAt: undefined, wallNow });
  if (freshness.stale) {
    return `<p class="banner" role="alert" data-stale-banner>○ Figures are stale — ${escapeHtml(freshness.why)}<small>Cards are greyed until fresh figures arrive.${freshness.silentSites > 0 ? ` ${freshness.silentSites} site(s) have sent nothing for over 3 min.` : ''}</small></p>`;
  }
  if (freshness.silentSites > 0) return `<p class="banner" role="status" data-silent-banner>○ ${freshness.silentSites} site(s) have sent no telemetry for over 3 min: their cards are greyed.</p>`;
  return '';
}

function select(field: 'trust' | 'type' | 'area', label: string, values: readonly string[]): string {
  if (values.length === 0) return '';
  return `<div class="field"><label for="filter-${field}">${label}</label><select id="filter-${field}" data-filter="${field}"><option value="" selected>All</option>`
    + values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join('')
    + `</select></div>`;
}

/** ww-site-grid's search form with nothing chosen (it works once the scripts have run). */
function controls(sites: readonly SiteSummary[]): string {
  const types = choices(sites, 'type');
  const areas = choices(sites, 'area');
  const missing = [types.length === 0 ? 'site type' : '', areas.length === 0 ? 'area' : ''].filter(Boolean);
  return `<form role="search" aria-label="Find sites"><label>Search sites <input type="search" name="q" placeholder="Name or code" /></label>`
    + `<fieldset><legend>Status</legend>${STATUSES_WORST_FIRST.map((s) => `<label><input type="checkbox" name="status" value="${s}" /><span aria-hidden="true">${STATUS_LABEL[s].icon}</span> ${STATUS_LABEL[s].word}</label>`).join('')}</fieldset>`
    + select('trust', 'Trust', choices(sites, 'trust'))
    + select('type', 'Site type', types)
    + select('area', 'Area', areas)
    + `<div class="field"><label for="filter-group">Group by</label><select id="filter-group" data-filter="group">${GROUPINGS.map((g) => `<option value="${g}"${g === 'status' ? ' selected' : ''}>${g === 'type' ? 'site type' : g}</option>`).join('')}</select></div>`
    + (missing.length > 0 ? `<p class="missing">${missing.join(' and ')}: not recorded in the site directory</p>` : '')
    + `</form>`;
}

/** ww-site-grid's default view: every site, grouped by status, cards for a few sites and tiles for many. */
function grid(data: FirstFrameData, estateStale: boolean): string {
  const { sites, clock } = data;
  if (sites.length === 0) return `<p class="empty">Waiting for the first figures…</p>`;
  const view = (site: SiteSummary): SiteView => ({ site, clock, stale: estateStale || isSiteStale(site, clock) });
  const asCards = sites.length <= CARD_LIMIT;
  const attention = asCards ? [] : sites.filter(needsAttention);
  let out = `<div class="causes">${causesHtml(data.causes ?? [])}</div>${controls(sites)}<p class="shown" role="status">Showing ${sites.length} of ${sites.length} sites${asCards ? '' : ' as a heat map: one tile per site, worst first'}.</p>`;
  if (attention.length > 0) {
    out += `<h3 class="attention">Needs attention (${attention.length})</h3><ul class="cards" aria-label="Sites needing attention">${attention.slice(0, ATTENTION_LIMIT).map((s) => cardHtml(view(s))).join('')}</ul>`;
    if (attention.length > ATTENTION_LIMIT) out += `<p class="more">${attention.length - ATTENTION_LIMIT} more in the heat map below.</p>`;
  }
  for (const g of groupSites(sites, 'status')) {
    const label = escapeHtml(g.label);
    out += `<section data-group="${escapeHtml(g.key)}"><h3 class="group">${label} <span class="n">${plural(g.sites.length, 'site')}</span></h3>`;
    out += asCards ? `<ul class="cards" aria-label="${label} sites">${g.sites.map((s) => cardHtml(view(s))).join('')}</ul>` : tileRunsHtml(`${g.label} sites`, g.sites.map((s) => tileHtml(view(s))));
    out += `</section>`;
  }
  return out;
}

/**
 * What a deep link shows in place of the grid until the app draws its page (deep-link.ts): the
 * heading of each page it can name, the one named shown by the frame's CSS, and that it is loading.
 * Not shown at all without the deep-link mark (the grid's addresses, or JavaScript off).
 */
function deepLinkSkeleton(): string {
  return `<div class="deep-link">${Object.entries(DEEP_LINK_PAGES).map(([page, heading]) => `<h2 data-page="${page}">${escapeHtml(heading)}</h2>`).join('')}<p class="loading">Loading…</p></div>`;
}

/** The first frame's markup, to go inside <ww-app>. `wallNow` is the server's wall clock (for the stale banner's wording only). */
export function firstFrameHtml(data: FirstFrameData, wallNow: number): string {
  const freshness = estateFreshness({ sites: data.sites, clock: data.clock, connected: false, disconnectedAt: undefined, wallNow });
  const counts = { down: 0, degraded: 0 };
  for (const s of data.sites) if (s.status === 'down' || s.status === 'degraded') counts[s.status]++;
  return `<div class="${FIRST_FRAME_CLASS}">${header(data.sites)}${banner(data, wallNow)}<main class="wide">${deepLinkSkeleton()}<h2 class="sr">Sites</h2>`
    + `<p class="summary">${data.sites.length} sites · ${counts.down} down · ${counts.degraded} degraded · figures over ${HORIZON_WORDS}</p>`
    + `<div class="site-grid">${grid(data, freshness.stale)}</div></main><span id="${FIRST_FRAME_END_ID}"></span></div>`;
}

/** The data as a JSON script block (not run: type application/json), with `<` escaped so no text in it can end the block. */
export function firstFrameDataHtml(data: FirstFrameData): string {
  const json = JSON.stringify(data).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="${FIRST_FRAME_DATA_ID}">${json}</script>`;
}

const APP_ELEMENT = '<ww-app></ww-app>';
const SITES_PRELOAD = /\s*<!--[^>]*-->\s*<link rel="preload" href="api\/sites"[^>]*>|\s*<link rel="preload" href="api\/sites"[^>]*>/;

/**
 * Rendering waits until the whole frame is parsed and the tile runs' script has run (an expect link,
 * render-blocking): a page of a
 * thousand tiles is parsed in slices, and the browser would otherwise lay out and paint each slice in
 * turn — the grid drawn over and over as it grows, each time at the cost of all of it so far.
 */
const RENDER_WHEN_PARSED = `<link rel="expect" href="#${FIRST_FRAME_READY_ID}" blocking="render" />\n  `;
/** The head's first inline script: a deep link marks the document so the frame is not drawn (deep-link.ts). */
const DEEP_LINK_CHECK = `<script>${DEEP_LINK_SCRIPT}</script>\n  `;
/** The bundle's entry as the build names it in the head (a module script, run once the page is parsed). */
const ENTRY_SCRIPT = /<script type="module" src="([\w.-]+\.js)"><\/script>/;
/** The build's preload links for the entry's chunks (build.mjs), in the head. */
const MODULE_PRELOAD = /<link rel="modulepreload" href="([\w.-]+\.js)" \/>\s*/g;

/**
 * The entry loaded once the frame has been painted and the next frame begun (a task after the second
 * frame's animation callbacks), instead of as a module script: a module script runs as soon as the
 * page is parsed and it is in, and when it was in before the frame was drawn, its ~15–40 ms of
 * evaluation came first and held the frame (one of the two times the bench saw, traced); run right
 * after the first frame, it took the CPU from that frame's raster. Nor are the bundle's files fetched
 * beside the page: preloaded while the frame was parsed, they came in and were compiled on the same
 * two cores as that parse, and the grid was on screen ~8 ms later, over 30 rounds side by side
 * (docs/benchmarks.md, "The bundle's preload after the frame"). So the script preloads them then, with the entry's import: the
 * chunks in parallel with the entry rather than after it. A deep link, which draws no grid (deep-link.ts),
 * preloads them at once. Run after the deep-link check in the head. The URLs are the build's, never data.
 */
export function entryLoaderScript(src: string, chunks: readonly string[] = []): string {
  return `(()=>{const p=()=>${JSON.stringify([...chunks, src])}.forEach((h)=>{const l=document.createElement("link");l.rel="modulepreload";l.href=h;document.head.append(l)}),d=document.documentElement.hasAttribute(${JSON.stringify(DEEP_LINK_ATTRIBUTE)});if(d)p();requestAnimationFrame(()=>requestAnimationFrame(()=>setTimeout(()=>{if(!d)p();import(${JSON.stringify(`./${src}`)})})))})()`;
}

/**
 * The dashboard's page with the first frame in it: the frame inside <ww-app>, the data after it,
 * rendering held until the frame is parsed, the deep-link check in the head, the entry and its chunks
 * fetched and loaded once the frame is painted, and the preload of api/sites dropped (the app reads the
 * list from the page instead). A page without <ww-app></ww-app> is returned as it is.
 */
export function withFirstFrame(page: string, data: FirstFrameData, wallNow: number): string {
  const at = page.indexOf(APP_ELEMENT);
  const headEnd = page.indexOf('</head>');
  if (at < 0 || headEnd < 0 || headEnd > at) return page;
  const body = `<ww-app>${firstFrameHtml(data, wallNow)}</ww-app><script>${TILE_RUNS_SCRIPT}</script><span id="${FIRST_FRAME_READY_ID}" hidden></span>\n    ${firstFrameDataHtml(data)}`;
  // The preload is dropped from the head alone, not looked for through half a megabyte of frame.
  const chunks: string[] = [];
  let entry = '';
  const head = page.slice(0, headEnd).replace(SITES_PRELOAD, '')
    .replace(MODULE_PRELOAD, (_, chunk: string) => (chunks.push(chunk), ''))
    .replace(ENTRY_SCRIPT, (_, src: string) => ((entry = src), ''));
  const loader = entry ? `<script>${entryLoaderScript(entry, chunks)}</script>\n  ` : '';
  return head + DEEP_LINK_CHECK + loader + RENDER_WHEN_PARSED + page.slice(headEnd, at) + body + page.slice(at + APP_ELEMENT.length);
}
