// One ward, access point, device or site application: its status and likely cause, its figures,
// response time and availability over time, and — for wards and access points — what is inside.
import { LitElement, css, html } from 'lit';
import { clockSkewText, countText, signalText, shareText, type ScopeDetail, type ScopeStatus } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { noChartText } from '../chart-format.ts';
import { appP95, logonP95 } from '../format.ts';
import { availabilityChart, causeNote, drillDownStyles, figuresWindow, rangePicker, responseChart } from '../drill-down.ts';
import { statusColours } from '../theme.ts';
import './ww-chart.ts';
import './ww-scope-table.ts';
import './ww-status-badge.ts';

const KIND: Record<ScopeStatus['scope'], string> = { trust: 'Trust', site: 'Site', ward: 'Ward', device: 'Device', ap: 'Access point', app: 'Application' };

export function scopeTitle(s: ScopeStatus): string {
  if (s.scope === 'ward') return `Ward ${s.ward ?? s.id}`;
  if (s.scope === 'app') return `${s.app ?? s.id} from ${s.site}`;
  return `${KIND[s.scope]} ${s.id}`;
}

export class WwScopePage extends LitElement {
  static override properties = { scopeKey: { type: String, attribute: 'scope-key' }, hours: { state: true }, stale: { type: Boolean } };
  /** The charts' time range; 0 until picked (the server's default: 48 h for devices, 6 h for the rest). */
  declare hours: number;
  /** The estate's figures are stale (stream down, processor stopped): statuses say "was", as the cards do. */
  declare stale: boolean;
  declare scopeKey: string;
  private readonly detail = new FetchController<ScopeDetail>(this, 3000);
  private readonly live: LiveController;
  /** The site whose statuses the stream is subscribed to (its scopes are this page's). */
  private subscribedSite: string | undefined;

  constructor() {
    super();
    this.scopeKey = '';
    this.stale = false;
    this.hours = 0;
    this.live = new LiveController(this, {
      statuses: () => (this.subscribedSite ? `site:${this.subscribedSite}` : 'all'),
      status: (status) => {
        const site = this.detail.value?.status.site;
        if (status.key === this.scopeKey || (site && status.site === site)) this.reload();
      },
    });
  }

  static override styles = [
    statusColours,
    drillDownStyles,
    css`
      a { color: var(--link); }
      .muted { color: var(--muted); }
    `,
  ];

  /**
   * The charts' span: the one picked, else a day for a device (stored by the hour: six hours would be
   * six points) and six hours for the rest. Always one of the picker's, so one of its buttons is
   * pressed (the API's two days for a device was none of them).
   */
  private get span(): number {
    return this.hours || (this.scopeKey.startsWith('device:') ? 24 : 6);
  }

  private reload(): void {
    if (this.scopeKey) this.detail.load(`api/scopes/${encodeURIComponent(this.scopeKey)}?hours=${this.span}`);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('scopeKey') || changed.has('hours')) this.reload();
    const site = this.detail.value?.status.site;
    if (site !== this.subscribedSite) {
      this.subscribedSite = site;
      this.live.refresh();
    }
  }

  override render() {
    const detail = this.detail.value;
    if (!detail) {
      return html`<a href="#/">← All sites</a>
        ${this.detail.error ? html`<p class="error" role="alert">Could not load ${this.scopeKey}: ${this.detail.error}</p>` : html`<p>Loading ${this.scopeKey}…</p>`}`;
    }
    const s = detail.status;
    const f = s.figures;
    const site = s.site ?? '';
    return html`
      <nav aria-label="Breadcrumb"><a href="#/">All sites</a> › <a href="#/sites/${encodeURIComponent(site)}">${detail.siteName}</a>${
        s.scope === 'device' || s.scope === 'ap'
          ? html` › <a href="#/scopes/${encodeURIComponent(`ward:${site}/${s.ward}`)}">Ward ${s.ward}</a>`
          : ''
      }</nav>
      <header>
        <h2>${scopeTitle(s)}</h2>
        <ww-status-badge .status=${s.status} data-scope-status=${s.status} ?stale=${this.stale}></ww-status-badge>
      </header>
      ${s.status !== 'ok' && s.reason ? html`<p class="reason">${s.reason}</p>` : ''}
      ${causeNote(s.cause, s.key)}
      ${figuresWindow(s.asOf)}
      <dl class="figures">
        <div><dt>App response p95</dt><dd>${appP95(f.p95Ms, f.appChecks, f.slowAppChecks)}</dd></div>
        <div><dt>Availability</dt><dd>${shareText(f.availability)}</dd></div>
        <div><dt>Logon p95</dt><dd>${logonP95(f.logonP95Ms, f.logons, f.slowLogons)}</dd></div>
        ${f.wifiSignalDbm !== null ? html`<div><dt>Wi-Fi signal</dt><dd>${signalText(f.wifiSignalDbm)}</dd></div>` : ''}
        ${f.cpuPct !== undefined && f.cpuPct !== null ? html`<div><dt>CPU (median)</dt><dd>${Math.round(f.cpuPct)} %</dd></div>` : ''}
        ${f.clockSkewMs !== undefined ? html`<div><dt>Clock</dt><dd data-clock-skew>${clockSkewText(f.clockSkewMs)}</dd></div>` : ''}
        ${s.ap ? html`<div><dt>Access point</dt><dd><a href="#/scopes/${encodeURIComponent(`ap:${s.ap}`)}">${s.ap}</a></dd></div>` : ''}
        <div><dt>Checks</dt><dd>${countText(f.appChecks)}</dd></div>
      </dl>
      ${rangePicker(this.span, (hours) => (this.hours = hours))}
      <section class="panel">
        <h3>Application response time</h3>
        ${detail.series.t.length < 2
          ? html`<p class="muted" data-no-chart>${noChartText(s.scope, this.span, detail.series.t.length)}</p>`
          : responseChart(detail.series)}
      </section>
      ${detail.series.t.length < 2 ? '' : html`<section class="panel">
        <h3>Availability</h3>
        ${availabilityChart(detail.series)}
      </section>`}
      <div class="tables">
        ${s.scope === 'ward' || s.scope === 'ap'
          ? html`<ww-scope-table ?stale=${this.stale} id="devices" caption="Devices" .scopes=${detail.devices} .pageAsOf=${s.asOf} show-wifi known-cause=${s.cause?.culprit ?? ''} empty="no devices reporting."></ww-scope-table>`
          : ''}
        ${s.scope === 'ward' ? html`<ww-scope-table ?stale=${this.stale} id="aps" caption="Access points" .scopes=${detail.accessPoints} .pageAsOf=${s.asOf} show-wifi known-cause=${s.cause?.culprit ?? ''} empty="no wireless devices."></ww-scope-table>` : ''}
      </div>
    `;
  }
}
customElements.define('ww-scope-page', WwScopePage);
