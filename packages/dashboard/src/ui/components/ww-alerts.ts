// SLO alerts: what is firing (worst first), what resolved recently, and the active silences.
import { LitElement, css, html } from 'lit';
import type { AlertsResponse, SloAlert } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { statusColours } from '../theme.ts';

type AlertView = SloAlert;
type AlertsView = AlertsResponse;

/** Where an alert's scope is shown: a site's page, the SLO list for an application across sites, the grid for the trust. */
export function scopeHref(scope: string): string {
  if (scope.startsWith('site:')) return `#/sites/${encodeURIComponent(scope.slice('site:'.length))}`;
  if (scope.startsWith('app:')) return '#/slos';
  return '#/';
}

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '–');

export class WwAlerts extends LitElement {
  private readonly alerts = new FetchController<AlertsView>(this, 5000);

  constructor() {
    super();
    // Alerts are evaluated from site figures: refresh when they move.
    new LiveController(this, { sites: () => this.alerts.load('api/alerts') });
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      a { color: var(--link); }
      table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--border); font-size: 0.9rem; margin-bottom: 16px; }
      caption { text-align: left; font-weight: 700; padding: 0 0 6px; }
      th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid #e8ecef; vertical-align: top; }
      th { font-size: 0.75rem; text-transform: uppercase; color: var(--muted); background: #f8fafb; }
      .sev { font-weight: 700; white-space: nowrap; }
      .page { color: var(--down); }
      .ticket { color: var(--degraded); }
      .muted { color: var(--muted); }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.alerts.load('api/alerts');
  }

  private rows(list: AlertView[], caption: string, empty: string) {
    if (list.length === 0) return html`<p><strong>${caption}:</strong> <span class="muted">${empty}</span></p>`;
    return html`<table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">Severity</th><th scope="col">SLO</th><th scope="col">Scope</th><th scope="col">Since</th><th scope="col">Budget left</th><th scope="col">Summary</th></tr></thead>
      <tbody>
        ${list.map(
          (a) => html`<tr data-fingerprint=${a.fingerprint} data-severity=${a.severity}>
            <td class="sev ${a.severity}">${a.severity === 'page' ? '✕ Page' : '▲ Ticket'}${a.silencedBy ? html` <span class="muted">(silenced)</span>` : ''}</td>
            <td>${a.slo}</td>
            <td><a href=${scopeHref(a.scope)} data-scope=${a.scope}>${a.scope}</a></td>
            <td>${when(a.startsAt)}${a.endsAt ? html` – ${when(a.endsAt)}` : ''}</td>
            <td>${(a.errorBudgetRemaining * 100).toFixed(1)} %</td>
            <td>${a.summary ?? ''}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    const view = this.alerts.value;
    return html`<a href="#/">← All sites</a>
      <h2>Alerts</h2>
      ${!view
        ? html`<p>${this.alerts.error ? `Could not load alerts: ${this.alerts.error}` : 'Loading…'}</p>`
        : html`${this.rows(view.firing, 'Firing', 'nothing is burning its error budget fast enough to alert.')}
          ${this.rows(view.resolved, 'Resolved recently', 'none.')}
          <p class="muted">${view.silences.length} active silence(s)${view.silences.map((s) => ` · ${s.id} until ${when(s.endsAt)}`).join('')}</p>`}`;
  }
}
customElements.define('ww-alerts', WwAlerts);
