// A table of scopes (wards, access points, devices) with their status, figures and reason.
import { LitElement, css, html, nothing } from 'lit';
import { durationText, shareColumn, type ScopeStatus } from '@wardwatch/schema';
import { appP95, figuresToText, logonP95, wifiCell } from '../format.ts';
import { statusColours } from '../theme.ts';
import './ww-status-badge.ts';

export class WwScopeTable extends LitElement {
  static override properties = {
    scopes: { attribute: false },
    caption: { type: String },
    showWifi: { type: Boolean, attribute: 'show-wifi' },
    showPlace: { type: Boolean, attribute: 'show-place' },
    showWard: { type: Boolean, attribute: 'show-ward' },
    knownCause: { type: String, attribute: 'known-cause' },
    empty: { type: String },
    pageAsOf: { attribute: false },
    stale: { type: Boolean },
  };
  declare scopes: ScopeStatus[];
  declare caption: string;
  declare showWifi: boolean;
  declare showPlace: boolean;
  /** A "Ward" column, for access points on a site's page. */
  declare showWard: boolean;
  /** A culprit the page already names above the table: rows blamed on it do not repeat it each. */
  declare knownCause: string;
  declare empty: string;
  /**
   * When the figures above the table are as of (the page's scope's `asOf`): the caption says when its
   * rows are as of where that differs (figuresToText). 0: not said.
   */
  declare pageAsOf: number;
  /** The estate's figures are stale (stream down, processor stopped): rows say "was", as the cards do. */
  declare stale: boolean;

  constructor() {
    super();
    this.stale = false;
    this.scopes = [];
    this.caption = '';
    this.showWifi = false;
    this.showPlace = false;
    this.showWard = false;
    this.knownCause = '';
    this.empty = 'Nothing to show.';
    this.pageAsOf = 0;
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; overflow-x: auto; }
      table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--border); border-radius: 6px; font-size: 0.9rem; }
      caption { text-align: left; font-weight: 700; padding: 0 0 6px; font-size: 1rem; }
      caption .as-of { font-weight: 400; font-size: 0.8rem; color: var(--muted); }
      th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid #e8ecef; vertical-align: top; }
      th { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); background: #f8fafb; }
      td.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
      td.id a { color: var(--link); }
      td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
      tr[data-status='degraded'] td:first-child, tr[data-status='down'] td:first-child { font-weight: 600; }
      .reason { color: #3a444f; }
      .cause { margin-top: 4px; }
      p { color: var(--muted); margin: 0.3em 0 1em; }
    `,
  ];

  private wifi(s: ScopeStatus) {
    const cell = wifiCell(s);
    return html`<td class="num" title=${cell.title ?? nothing}>${cell.text}</td>`;
  }

  override render() {
    if (this.scopes.length === 0) return html`<p><strong>${this.caption}:</strong> ${this.empty}</p>`;
    const asOf = figuresToText(this.scopes.map((s) => s.asOf), this.pageAsOf);
    const availability = shareColumn(this.scopes.map((s) => s.figures.availability));
    return html`<table>
      <caption>${this.caption}${asOf ? html` <span class="as-of">· ${asOf}</span>` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          ${this.showPlace ? html`<th scope="col">Site / ward</th>` : ''}
          ${this.showWard ? html`<th scope="col">Ward</th>` : ''}
          <th scope="col">Status</th>
          <th scope="col">App p95</th>
          <th scope="col">Availability</th>
          <th scope="col">Logon p95</th>
          ${this.showWifi ? html`<th scope="col">Wi-Fi</th>` : ''}
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        ${this.scopes.map(
          (s) => html`<tr data-status=${s.status} data-key=${s.key}>
            <td class="id"><a href="#/scopes/${encodeURIComponent(s.key)}">${s.scope === 'ward' ? (s.ward ?? s.id) : s.scope === 'app' ? (s.app ?? s.id) : s.id}</a></td>
            ${this.showPlace ? html`<td>${s.site ?? ''}${s.ward ? ` / ${s.ward}` : ''}</td>` : ''}
            ${this.showWard ? html`<td>${s.ward ?? '–'}</td>` : ''}
            <td><ww-status-badge .status=${s.status} ?stale=${this.stale}></ww-status-badge></td>
            <td class="num">${appP95(s.figures.p95Ms, s.figures.appChecks, s.figures.slowAppChecks)}</td>
            <td class="num">${availability(s.figures.availability)}</td>
            <td class="num">${logonP95(s.figures.logonP95Ms, s.figures.logons, s.figures.slowLogons)}</td>
            ${this.showWifi ? this.wifi(s) : ''}
            <td class="reason">
              ${s.reason}
              ${s.cause && s.cause.culprit !== this.knownCause ? html`<div class="cause" data-cause=${s.cause.kind} title=${s.cause.evidence}><strong>Likely cause:</strong> ${s.cause.summary}</div>` : ''}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
customElements.define('ww-scope-table', WwScopeTable);
