// The live site grid: one card per site, worst first.
import { LitElement, css, html } from 'lit';
import type { SiteSummary } from '@wardwatch/schema';
import { percent, seconds } from '../format.ts';
import { statusColours } from '../theme.ts';
import './ww-causes.ts';
import './ww-status-badge.ts';

export class WwSiteGrid extends LitElement {
  static override properties = { sites: { attribute: false } };
  declare sites: SiteSummary[];

  constructor() {
    super();
    this.sites = [];
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
      a.card { display: block; height: 100%; box-sizing: border-box; padding: 12px 14px; background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--unknown); border-radius: 6px; color: inherit; text-decoration: none; }
      a.card:hover, a.card:focus-visible { box-shadow: 0 0 0 3px #9cc3ea; outline: none; }
      a.card[data-status='ok'] { border-left-color: var(--ok); }
      a.card[data-status='degraded'] { border-left-color: var(--degraded); background: #fffdf6; }
      a.card[data-status='down'] { border-left-color: var(--down); background: #fffafa; }
      .head { display: flex; justify-content: space-between; gap: 8px; align-items: start; }
      h3 { margin: 0; font-size: 1rem; }
      .id { color: var(--muted); font-size: 0.8rem; }
      dl { display: grid; grid-template-columns: repeat(3, 1fr); margin: 10px 0 0; gap: 4px; }
      dt { color: var(--muted); font-size: 0.75rem; }
      dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
      .reason { margin: 8px 0 0; font-size: 0.85rem; color: #3a444f; }
      .cause { margin: 6px 0 0; font-size: 0.85rem; }
      .empty { color: var(--muted); }
    `,
  ];

  override render() {
    if (this.sites.length === 0) return html`<p class="empty">Waiting for the first figures…</p>`;
    return html`<ww-causes></ww-causes>
      <ul aria-label="Sites">
      ${this.sites.map(
        (site) => html`<li>
          <a class="card" href="#/sites/${encodeURIComponent(site.id)}" data-status=${site.status} data-site=${site.id}>
            <div class="head">
              <div><h3>${site.name}</h3><span class="id">${site.id}</span></div>
              <ww-status-badge .status=${site.status}></ww-status-badge>
            </div>
            <dl>
              <div><dt>App p95</dt><dd>${seconds(site.p95Ms)}</dd></div>
              <div><dt>Availability</dt><dd>${percent(site.availability)}</dd></div>
              <div><dt>Logon p95</dt><dd>${seconds(site.logonP95Ms)}</dd></div>
            </dl>
            ${site.status !== 'ok' && site.reason ? html`<p class="reason">${site.reason}</p>` : ''}
            ${site.status !== 'ok' && site.cause ? html`<p class="cause" data-cause=${site.cause.kind}><strong>Likely cause:</strong> ${site.cause.summary}</p>` : ''}
          </a>
        </li>`,
      )}
    </ul>`;
  }
}
customElements.define('ww-site-grid', WwSiteGrid);
