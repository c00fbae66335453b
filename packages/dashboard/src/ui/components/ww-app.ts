// The dashboard shell: header with the live-connection state, and hash routing between the site
// grid, a site page, a ward / access point / device page, the degraded devices, the alerts, the
// service levels and the evidence pack.
import { LitElement, css, html } from 'lit';
import type { SiteSummary } from '@wardwatch/schema';
import { LiveController } from '../controllers/live-controller.ts';
import { STATUS_LABEL, time } from '../format.ts';
import './ww-alerts.ts';
import './ww-device-list.ts';
import './ww-evidence.ts';
import './ww-site-grid.ts';
import './ww-scope-page.ts';
import './ww-site-page.ts';
import './ww-slos.ts';

type Route = { page: 'grid' } | { page: 'site'; id: string } | { page: 'scope'; key: string } | { page: 'devices' } | { page: 'alerts' } | { page: 'slos' } | { page: 'evidence'; month: string };

function parseRoute(hash: string): Route {
  const site = /^#\/sites\/(.+)$/.exec(hash);
  if (site) return { page: 'site', id: decodeURIComponent(site[1]!) };
  const scope = /^#\/scopes\/(.+)$/.exec(hash);
  if (scope) return { page: 'scope', key: decodeURIComponent(scope[1]!) };
  if (hash === '#/devices') return { page: 'devices' };
  if (hash === '#/alerts') return { page: 'alerts' };
  if (hash === '#/slos') return { page: 'slos' };
  const evidence = /^#\/evidence(?:\/(.*))?$/.exec(hash);
  if (evidence) return { page: 'evidence', month: decodeURIComponent(evidence[1] ?? '') };
  return { page: 'grid' };
}

export class WwApp extends LitElement {
  static override properties = { sites: { state: true }, connected: { state: true }, route: { state: true }, announcement: { state: true } };
  declare sites: SiteSummary[];
  declare connected: boolean;
  declare route: Route;
  declare announcement: string;
  private readonly onHash = () => (this.route = parseRoute(location.hash));

  constructor() {
    super();
    this.sites = [];
    this.connected = false;
    this.route = parseRoute(location.hash);
    this.announcement = '';
    new LiveController(this, {
      sites: (sites) => this.receive(sites),
      connection: (connected) => (this.connected = connected),
    });
  }

  static override styles = css`
    :host { display: block; }
    header { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; padding: 10px 20px; background: #0f2c46; color: #fff; }
    header h1 { font-size: 1.15rem; margin: 0; letter-spacing: 0.02em; }
    header h1 a { color: inherit; text-decoration: none; }
    .trust { opacity: 0.85; font-size: 0.9rem; }
    nav { margin-left: auto; display: flex; gap: 16px; align-items: center; font-size: 0.9rem; }
    nav a { color: #cfe3f7; }
    .live { display: inline-flex; align-items: center; gap: 6px; }
    .dot { width: 10px; height: 10px; border-radius: 50%; background: #9aa5b1; }
    .live[data-connected] .dot { background: #5fd08a; }
    main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
    .summary { margin: 0 0 12px; color: #3a444f; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    void fetch('api/sites')
      .then((r) => r.json())
      .then((sites: SiteSummary[]) => {
        if (this.sites.length === 0) this.receive(sites);
      })
      .catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  private receive(sites: SiteSummary[]): void {
    const before = new Map(this.sites.map((s) => [s.id, s.status]));
    const changed = sites.filter((s) => before.has(s.id) && before.get(s.id) !== s.status);
    if (changed.length > 0) {
      this.announcement = changed.map((s) => `${s.name} is now ${STATUS_LABEL[s.status].word}`).join('. ');
    }
    this.sites = sites;
  }

  override render() {
    const trust = this.sites[0]?.trust ?? '';
    const asOf = Math.max(0, ...this.sites.map((s) => s.asOf));
    const counts = { degraded: 0, down: 0 };
    for (const s of this.sites) if (s.status === 'degraded' || s.status === 'down') counts[s.status]++;
    return html`
      <header>
        <h1><a href="#/">wardwatch</a></h1>
        <span class="trust">${trust}</span>
        <nav aria-label="Main">
          <a href="#/">Sites</a>
          <a href="#/devices">Degraded devices</a>
          <a href="#/alerts">Alerts</a>
          <a href="#/slos">SLOs</a>
          <a href="#/evidence">Evidence</a>
          <span class="live" ?data-connected=${this.connected} title="Live updates">
            <span class="dot" aria-hidden="true"></span>${this.connected ? 'Live' : 'Offline'} · ${time(asOf)}
          </span>
        </nav>
      </header>
      <div class="sr" aria-live="polite">${this.announcement}</div>
      <main>${this.page(counts)}</main>
    `;
  }

  private page(counts: { degraded: number; down: number }) {
    switch (this.route.page) {
      case 'site':
        return html`<ww-site-page site-id=${this.route.id}></ww-site-page>`;
      case 'scope':
        return html`<ww-scope-page scope-key=${this.route.key}></ww-scope-page>`;
      case 'devices':
        return html`<ww-device-list></ww-device-list>`;
      case 'alerts':
        return html`<ww-alerts></ww-alerts>`;
      case 'slos':
        return html`<ww-slos></ww-slos>`;
      case 'evidence':
        return html`<ww-evidence trust=${this.sites[0]?.trust ?? ''} month=${this.route.month}></ww-evidence>`;
      default:
        return html`<h2 class="sr">Sites</h2>
          <p class="summary">${this.sites.length} sites · ${counts.down} down · ${counts.degraded} degraded · figures over the last 15 minutes</p>
          <ww-site-grid .sites=${this.sites}></ww-site-grid>`;
    }
  }
}
customElements.define('ww-app', WwApp);
