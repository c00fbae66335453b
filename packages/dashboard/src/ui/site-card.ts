// A site drawn two ways, shared by the grid and the wall: a card (figures, reason, cause, alerts and
// age) for short lists, and a heat-map tile (status shape and site code) for the whole estate. Plain
// templates rather than elements, so a thousand tiles cost a thousand links and no shadow roots.
import { css, html, unsafeCSS } from 'lit';
import type { SiteSummary, StreamClock } from '@wardwatch/schema';
import { percent, seconds, STATUS_LABEL } from './format.ts';
import { age, clockTime, siteAgeMs } from './freshness.ts';

export interface SiteView {
  site: SiteSummary;
  clock: StreamClock | undefined;
  /** This site's figures (or the whole page's) are too old to be shown as current. */
  stale: boolean;
}

const ageText = ({ site, clock }: SiteView, coarse = false): string => {
  const ms = siteAgeMs(site, clock);
  if (site.asOf <= 0) return 'no figures yet';
  if (ms === null) return `as of ${clockTime(site.asOf)}`;
  // Tiles say their age by the minute: a thousand labels then change once a minute, not every second.
  if (coarse) return ms < 60_000 ? 'under a minute old' : `${age(ms - (ms % 60_000))} old`;
  return `as of ${clockTime(site.asOf)} · ${age(ms)} old`;
};

const alertsText = (site: SiteSummary): string => {
  const a = site.alerts;
  if (!a || a.page + a.ticket === 0) return '';
  const parts = [];
  if (a.page) parts.push(`${a.page} page${a.page === 1 ? '' : 's'}`);
  if (a.ticket) parts.push(`${a.ticket} ticket${a.ticket === 1 ? '' : 's'}`);
  return parts.join(', ');
};

/** The accessible name of a tile: name, code, status (or stale), reason, alerts, age. */
export function tileLabel(view: SiteView): string {
  const { site } = view;
  const word = STATUS_LABEL[site.status]?.word ?? 'Unknown';
  const alerts = alertsText(site);
  return [`${site.name} (${site.id})`, view.stale ? `stale, last ${word}` : word, site.status !== 'ok' && site.reason ? site.reason : '', alerts ? `alerts: ${alerts}` : '', ageText(view, true)]
    .filter(Boolean)
    .join(' — ');
}

export const tile = (view: SiteView) => {
  const { site } = view;
  const label = tileLabel(view);
  // The status glyph is drawn by CSS (tileGlyphs): one element and one text node a tile, not three.
  return html`<li><a class="tile" href="#/sites/${encodeURIComponent(site.id)}" data-site=${site.id} data-status=${site.status} ?data-stale=${view.stale}
    ?data-paging=${(site.alerts?.page ?? 0) > 0} aria-label=${label} title=${label}>${site.id}</a></li>`;
};

export const card = (view: SiteView) => {
  const { site, stale } = view;
  const alerts = alertsText(site);
  return html`<li>
    <a class="card" href="#/sites/${encodeURIComponent(site.id)}" data-status=${site.status} data-site=${site.id} ?data-stale=${stale}>
      <div class="head">
        <div><h4>${site.name}</h4><span class="id">${site.id}${site.type ? ` · ${site.type}` : ''}${site.area ? ` · ${site.area}` : ''}</span></div>
        <ww-status-badge .status=${site.status} ?stale=${stale}></ww-status-badge>
      </div>
      <dl>
        <div><dt>App p95</dt><dd>${seconds(site.p95Ms)}</dd></div>
        <div><dt>Availability</dt><dd>${percent(site.availability)}</dd></div>
        <div><dt>Logon p95</dt><dd>${seconds(site.logonP95Ms)}</dd></div>
      </dl>
      ${site.status !== 'ok' && site.reason ? html`<p class="reason">${site.reason}</p>` : ''}
      ${site.status !== 'ok' && site.cause ? html`<p class="cause" data-cause=${site.cause.kind}><strong>Likely cause:</strong> ${site.cause.summary}</p>` : ''}
      <p class="foot">
        ${alerts ? html`<span class="alerts" data-page=${site.alerts?.page ?? 0} data-ticket=${site.alerts?.ticket ?? 0}>Alerts: ${alerts}</span>` : ''}
        <span class="age">${stale ? 'Stale · ' : ''}${ageText(view)}</span>
      </p>
    </a>
  </li>`;
};

/** Each status's glyph before a tile's code (○ when stale), with empty alternative text: the tile's label says the status. */
function tileGlyphs() {
  const rules = Object.entries(STATUS_LABEL).map(([status, { icon }]) => `a.tile[data-status='${status}']::before { content: ${JSON.stringify(icon)} / ''; }`);
  return unsafeCSS(`${rules.join('\n')}\na.tile[data-stale]::before { content: '○' / ''; }`);
}

/**
 * Status is told by shape, word and pattern as well as hue: OK plain with a solid bar, degraded
 * hatched, down solid dark with light text, unknown dotted, stale grey and dashed. Every pair of text
 * and background meets 4.5:1; focus rings 3:1 against white and the header.
 */
export const siteViewStyles = css`
  ul.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
  a.card { display: block; height: 100%; box-sizing: border-box; padding: 12px 14px; background: #fff; border: 1px solid var(--border); border-left: 8px solid var(--unknown); border-radius: 6px; color: inherit; text-decoration: none; }
  a.card:hover { box-shadow: 0 0 0 2px var(--focus); }
  a.card:focus-visible, a.tile:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  a.card[data-status='ok'] { border-left-color: var(--ok); }
  a.card[data-status='degraded'] { border-left: 8px double var(--degraded); background: var(--degraded-bg-card); }
  a.card[data-status='down'] { border-left: 12px solid var(--down); background: var(--down-bg-card); }
  a.card[data-status='unknown'] { border-left: 8px dotted var(--unknown); }
  a.card[data-stale] { background: var(--stale-bg); border: 2px dashed var(--stale); border-left-width: 8px; color: var(--stale-text); }
  .head { display: flex; justify-content: space-between; gap: 8px; align-items: start; }
  h4 { margin: 0; font-size: 1rem; }
  .id { color: var(--muted); font-size: 0.8rem; }
  dl { display: grid; grid-template-columns: repeat(3, 1fr); margin: 10px 0 0; gap: 4px; }
  dt { color: var(--muted); font-size: 0.75rem; }
  dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
  .reason { margin: 8px 0 0; font-size: 0.85rem; color: #3a444f; }
  .cause { margin: 6px 0 0; font-size: 0.85rem; }
  .foot { display: flex; flex-wrap: wrap; gap: 4px 12px; justify-content: space-between; margin: 8px 0 0; font-size: 0.8rem; color: var(--muted); }
  .alerts { color: var(--down); font-weight: 700; }
  a.card[data-stale] .id, a.card[data-stale] dt, a.card[data-stale] .foot, a.card[data-stale] .reason { color: var(--stale-text); }

  ul.tiles { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; grid-template-columns: repeat(auto-fill, minmax(var(--tile-w, 68px), 1fr)); }
  a.tile { display: flex; align-items: center; gap: 4px; height: var(--tile-h, 30px); padding: 0 6px; box-sizing: border-box; border-radius: 4px; font-size: var(--tile-font, 0.8rem); font-variant-numeric: tabular-nums; text-decoration: none; color: var(--text); background: #fff; border: 1px solid var(--border); border-left: 5px solid var(--ok); overflow: hidden; white-space: nowrap; }
  a.tile::before { font-weight: 700; }
  a.tile[data-status='ok']::before { color: var(--ok); }
  a.tile[data-status='degraded'] { border: 2px solid var(--degraded); background: repeating-linear-gradient(135deg, var(--degraded-bg) 0 6px, var(--degraded-hatch) 6px 9px); color: var(--degraded-text); font-weight: 700; }
  a.tile[data-status='down'] { border: 2px solid var(--down); background: var(--down); color: #fff; font-weight: 700; }
  a.tile[data-status='unknown'] { border: 2px dotted var(--unknown); background: var(--unknown-bg); color: var(--text); }
  a.tile[data-paging]:not([data-status='down']) { box-shadow: inset 0 -4px 0 var(--down); }
  a.tile[data-stale] { border: 2px dashed var(--stale); background: var(--stale-bg); color: var(--stale-text); font-weight: 400; box-shadow: none; }
  a.tile[data-stale]::before { color: var(--stale-text); }
  ${tileGlyphs()}
`;
