// One site: its figures, its uptime history, response-time and availability charts, and what is
// degraded inside it, in drill-down order: wards, access points, applications, then the devices.
import { LitElement, css, html, unsafeCSS } from 'lit';
import { capitalised, countText, shareText, type SiteDetail } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { alertsText, maintenanceText, siteAppP95, siteLogonP95 } from '../markup/site-markup.ts';
import { MAINTENANCE_NOTE_CSS } from '../markup/styles.ts';
import { availabilityChart, causeNote, drillDownStyles, figuresWindow, rangePicker, responseChart } from '../drill-down.ts';
import { statusColours } from '../theme.ts';
import { p95Line } from '../format.ts';
import './ww-chart.ts';
import './ww-device-groups.ts';
import './ww-scope-table.ts';
import './ww-status-badge.ts';
import './ww-uptime-strip.ts';
import type { WwUptimeStrip } from './ww-uptime-strip.ts';

export class WwSitePage extends LitElement {
  static override properties = { siteId: { type: String, attribute: 'site-id' }, hours: { state: true }, stale: { type: Boolean } };
  declare siteId: string;
  /** The charts' time range. */
  declare hours: number;
  /** The estate's figures are stale (stream down, processor stopped): statuses say "was", as the cards do. */
  declare stale: boolean;
  private readonly detail = new FetchController<SiteDetail>(this, 3000);
  private readonly live: LiveController;

  constructor() {
    super();
    this.siteId = '';
    this.stale = false;
    this.hours = 6;
    this.live = new LiveController(this, {
      statuses: () => `site:${this.siteId}`,
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
    drillDownStyles,
    css`
      a.back, a.alerts { color: var(--link); }
      a.alerts { font-weight: 700; }
    `,
    unsafeCSS(MAINTENANCE_NOTE_CSS),
  ];

  private reload(): void {
    if (this.siteId) this.detail.load(`api/sites/${encodeURIComponent(this.siteId)}?hours=${this.hours}`);
    (this.renderRoot?.querySelector('ww-uptime-strip') as WwUptimeStrip | null)?.refresh();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('siteId') || changed.has('hours')) this.reload();
    if (changed.has('siteId')) this.live.refresh();
  }

  override render() {
    const site = this.detail.value;
    if (!site) {
      return html`<a class="back" href="#/">← All sites</a>
        ${this.detail.error ? html`<p class="error" role="alert">Could not load site ${this.siteId}: ${this.detail.error}</p>` : html`<p>Loading ${this.siteId}…</p>`}`;
    }
    const notOk = site.devices.filter((d) => d.status !== 'ok');
    // The site's own likely cause is named above the tables; rows blamed on it do not repeat it each.
    const known = site.status !== 'ok' ? (site.cause?.culprit ?? '') : '';
    return html`
      <a class="back" href="#/">← All sites</a>
      <header>
        <h2>${site.name}</h2>
        <ww-status-badge .status=${site.status} data-site-status=${site.status} ?stale=${this.stale}></ww-status-badge>
        ${site.alerts && site.alerts.page + site.alerts.ticket > 0
          ? html`<a class="alerts" href="#/alerts" data-page=${site.alerts.page} data-ticket=${site.alerts.ticket}>Alerts: ${alertsText(site)} — ${site.alerts.slos.join(', ')}</a>`
          : ''}
      </header>
      ${site.maintenance?.length ? html`<p class="maintenance">${capitalised(maintenanceText(site))}</p>` : ''}
      ${site.status !== 'ok' ? html`<p class="reason">${site.reason}</p>` : ''}
      ${site.status !== 'ok' ? causeNote(site.cause, `site:${site.id}`) : ''}
      ${figuresWindow(site.asOf)}
      <dl class="figures">
        <div><dt>App response p95</dt><dd>${p95Line(siteAppP95(site))}</dd></div>
        <div><dt>Availability</dt><dd>${shareText(site.availability)}</dd></div>
        <div><dt>Logon p95</dt><dd>${p95Line(siteLogonP95(site))}</dd></div>
        <div><dt>Checks</dt><dd>${countText(site.appChecks)}</dd></div>
      </dl>
      <section class="panel">
        <ww-uptime-strip site-id=${this.siteId}></ww-uptime-strip>
      </section>
      ${rangePicker(this.hours, (hours) => (this.hours = hours))}
      <section class="panel">
        <h3>Application response time</h3>
        ${responseChart(site.series)}
      </section>
      <section class="panel">
        <h3>Availability</h3>
        ${availabilityChart(site.series)}
      </section>
      <div class="tables">
        <ww-scope-table ?stale=${this.stale} id="wards" caption="Wards" .scopes=${site.wards} .pageAsOf=${site.asOf} known-cause=${known}></ww-scope-table>
        <ww-scope-table ?stale=${this.stale} id="aps" caption="Access points" .scopes=${site.accessPoints} .pageAsOf=${site.asOf} show-ward show-wifi known-cause=${known}></ww-scope-table>
        <ww-scope-table ?stale=${this.stale} id="apps" caption="Applications from this site" .scopes=${site.applications ?? []} .pageAsOf=${site.asOf} known-cause=${known} empty="no application checks yet."></ww-scope-table>
        <ww-device-groups id="devices" .devices=${notOk} here=${`site:${site.id}`} empty="every device is OK."></ww-device-groups>
      </div>
    `;
  }
}
customElements.define('ww-site-page', WwSitePage);
