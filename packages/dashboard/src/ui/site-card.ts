// A site drawn two ways, shared by the grid and the wall: a card (figures, reason, cause, alerts and
// age) for short lists, and a heat-map tile (status shape and site code) for the whole estate. Plain
// templates rather than elements, so a thousand tiles cost a thousand links and no shadow roots.
import { capitalised, shareText } from '@wardwatch/schema';
import { html, nothing, unsafeCSS } from 'lit';

import { ageText, alertsText, maintenanceText, siteAppP95, siteLogonP95, tileParts, type SiteView } from './markup/site-markup.ts';
import { SITE_VIEW_CSS } from './markup/styles.ts';
import type { P95Text } from './format.ts';

export type { SiteView } from './markup/site-markup.ts';
export { tileLabel } from './markup/site-markup.ts';

export const tile = (view: SiteView) => {
  const t = tileParts(view);
  // One element and one text node a tile (the glyph and the code in one binding): no pseudo-element.
  return html`<li><a class="tile" href=${t.href} data-site=${t.site} data-status=${t.status} ?data-stale=${t.stale} ?data-paging=${t.paging} ?data-maintenance=${t.maintenance} data-long=${t.long || nothing} aria-label=${t.label}>${t.text}</a></li>`;
};

/**
 * A tile's tooltip, given as the pointer comes over it (a list's pointerover): its label as its title.
 * Written on hover rather than into every tile, where a second copy of each label was 65 kB of the
 * served page and a binding a tile in the app (docs/benchmarks.md); read from the label each time, so
 * it is never older than the label.
 */
export function tileTooltip(event: Event): void {
  const tile = (event.target as Element | null)?.closest?.('a.tile');
  if (tile) tile.setAttribute('title', tile.getAttribute('aria-label') ?? '');
}

/** A p95 and its note under it, as cardHtml writes them. */
const p95 = ({ value, note }: P95Text) => html`${value}${note === undefined ? nothing : html` <small>(${note})</small>`}`;

export const card = (view: SiteView) => {
  const { site, stale } = view;
  const alerts = alertsText(site);
  const maintenance = maintenanceText(site);
  return html`<li>
    <a class="card" href="#/sites/${encodeURIComponent(site.id)}" data-status=${site.status} data-site=${site.id} ?data-stale=${stale}>
      <div class="head">
        <div><h4>${site.name}</h4><span class="id">${site.id}${site.type ? ` · ${site.type}` : ''}${site.area ? ` · ${site.area}` : ''}</span></div>
        <ww-status-badge .status=${site.status} ?stale=${stale}></ww-status-badge>
      </div>
      <dl>
        <div><dt>App p95</dt><dd>${p95(siteAppP95(site))}</dd></div>
        <div><dt>Availability</dt><dd>${shareText(site.availability)}</dd></div>
        <div><dt>Logon p95</dt><dd>${p95(siteLogonP95(site))}</dd></div>
      </dl>
      ${maintenance ? html`<p class="maintenance">${capitalised(maintenance)}</p>` : ''}
      ${site.status !== 'ok' && site.reason ? html`<p class="reason">${site.reason}</p>` : ''}
      ${site.status !== 'ok' && site.cause ? html`<p class="cause" data-cause=${site.cause.kind}><strong>Likely cause:</strong> ${site.cause.summary}</p>` : ''}
      <p class="foot">
        ${alerts ? html`<span class="alerts" data-page=${site.alerts?.page ?? 0} data-ticket=${site.alerts?.ticket ?? 0}>Alerts: ${alerts}</span>` : ''}
        <span class="age">${stale ? 'Stale · ' : ''}${ageText(view)}</span>
      </p>
    </a>
  </li>`;
};

/** Cards and tiles (markup/styles.ts), for the components that draw them. */
export const siteViewStyles = unsafeCSS(SITE_VIEW_CSS);
