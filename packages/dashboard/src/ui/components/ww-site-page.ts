// One site: its figures, response-time and availability charts, and what is degraded inside it.
import { LitElement, css, html } from 'lit';
import type { SiteDetail } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { percent, seconds } from '../format.ts';
import { statusColours } from '../theme.ts';
import './ww-chart.ts';
import './ww-scope-table.ts';
import './ww-status-badge.ts';

export class WwSitePage extends LitElement {
  static override properties = { siteId: { type: String, attribute: 'site-id' } };
  declare siteId: string;
  private readonly detail = new FetchController<SiteDetail>(this, 3000);

  constructor() {
    super();
    this.siteId = '';
    new LiveController(this, {
      sites: (sites) => {
        if (sites.some((s) => s.id === this.siteId)) this.reload();
      },
      status: (status) => {
        if (status.site === this.siteId) this.reload();
      },
    });
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      a.back { color: var(--link); }
      header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 4px; }
      h2 { margin: 0; font-size: 1.4rem; }
      .reason { margin: 0 0 12px; color: #3a444f; }
      .cause { margin: 0 0 12px; padding: 8px 12px; background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; }
      .cause p { margin: 4px 0 0; color: #3a444f; }
      dl.figures { display: flex; flex-wrap: wrap; gap: 24px; margin: 0 0 16px; }
      dl.figures dt { color: var(--muted); font-size: 0.8rem; }
      dl.figures dd { margin: 0; font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      section.panel { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
      h3 { margin: 0 0 6px; font-size: 1rem; }
      .charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0; }
      .tables { display: grid; gap: 16px; }
      .error { color: var(--down); }
    `,
  ];

  private reload(): void {
    if (this.siteId) this.detail.load(`api/sites/${encodeURIComponent(this.siteId)}`);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('siteId')) this.reload();
  }

  override render() {
    const site = this.detail.value;
    if (!site) {
      return html`<a class="back" href="#/">← All sites</a>
        ${this.detail.error ? html`<p class="error" role="alert">Could not load site ${this.siteId}: ${this.detail.error}</p>` : html`<p>Loading ${this.siteId}…</p>`}`;
    }
    const notOk = site.devices.filter((d) => d.status !== 'ok');
    return html`
      <a class="back" href="#/">← All sites</a>
      <header>
        <h2>${site.name}</h2>
        <ww-status-badge .status=${site.status} data-site-status=${site.status}></ww-status-badge>
      </header>
      ${site.status !== 'ok' ? html`<p class="reason">${site.reason}</p>` : ''}
      ${site.status !== 'ok' && site.cause
        ? html`<div class="cause" data-cause=${site.cause.kind} role="note">
            <strong>Likely cause — ${site.cause.summary}</strong>
            <p>${site.cause.evidence}</p>
          </div>`
        : ''}
      <dl class="figures">
        <div><dt>App response p95</dt><dd>${seconds(site.p95Ms)}</dd></div>
        <div><dt>Availability</dt><dd>${percent(site.availability)}</dd></div>
        <div><dt>Logon p95</dt><dd>${seconds(site.logonP95Ms)}</dd></div>
        <div><dt>Checks (15 min)</dt><dd>${site.appChecks}</dd></div>
      </dl>
      <section class="panel">
        <h3>Application response time</h3>
        <ww-chart
          label="Application response time p50, p95 and p99 over time"
          unit=" ms"
          .t=${site.series.t}
          .series=${[
            { label: 'p50', colour: '#4a90c2', values: site.series.p50Ms },
            { label: 'p95', colour: '#c27c0e', values: site.series.p95Ms },
            { label: 'p99', colour: '#b3261e', values: site.series.p99Ms },
          ]}
        ></ww-chart>
      </section>
      <section class="panel">
        <h3>Availability</h3>
        <ww-chart
          label="Share of application checks that succeeded over time"
          unit=" %"
          .t=${site.series.t}
          .series=${[{ label: 'availability', colour: '#1b7f3b', values: site.series.availability.map((a) => (a === null ? null : a * 100)) }]}
        ></ww-chart>
      </section>
      <div class="tables">
        <ww-scope-table id="devices" caption="Devices not OK" .scopes=${notOk} show-wifi empty="every device is OK."></ww-scope-table>
        <ww-scope-table id="wards" caption="Wards" .scopes=${site.wards}></ww-scope-table>
        <ww-scope-table id="aps" caption="Access points" .scopes=${site.accessPoints} show-wifi></ww-scope-table>
        <ww-scope-table id="apps" caption="Applications from this site" .scopes=${site.applications ?? []} empty="no application checks yet."></ww-scope-table>
      </div>
    `;
  }
}
customElements.define('ww-site-page', WwSitePage);
