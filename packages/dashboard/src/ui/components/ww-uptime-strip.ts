// A site's uptime history as a strip of bars, as Uptime Kuma draws it: the last 24 hours or 90 days,
// each bar one period judged by the status rules. A bar's status is told by its fill pattern as well
// as its colour (OK solid, degraded hatched, down solid with a light band, no figures an empty dotted
// box); its tooltip and the text screen readers get say when, the verdict and the figures behind it.
// A period with recorded maintenance carries a dark cap across its top, named in its text.
import { LitElement, css, html } from 'lit';
import type { UptimeHistory } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { statusColours } from '../theme.ts';
import { periodText, uptimeSummary } from '../uptime.ts';

const VIEWS = [
  { period: 'hour', count: 24, label: '24 hours' },
  { period: 'day', count: 90, label: '90 days' },
] as const;

export class WwUptimeStrip extends LitElement {
  static override properties = { siteId: { type: String, attribute: 'site-id' }, view: { state: true } };
  declare siteId: string;
  /** Index into VIEWS. */
  declare view: number;
  private readonly history = new FetchController<UptimeHistory>(this, 30_000);

  constructor() {
    super();
    this.siteId = '';
    this.view = 0;
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      .head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; justify-content: space-between; }
      h3 { margin: 0 0 6px; font-size: 1rem; }
      .views { display: flex; gap: 4px; }
      .views button { font: inherit; font-size: 0.85rem; padding: 2px 10px; border: 1px solid #6b737b; border-radius: 4px; background: #fff; color: #1d2630; cursor: pointer; }
      .views button[aria-pressed='true'] { background: #0f2c46; color: #fff; font-weight: 700; }
      .views button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      .summary { margin: 0 0 8px; font-size: 0.9rem; color: #3a444f; }
      ol.strip { list-style: none; margin: 0; padding: 0; display: flex; gap: 2px; height: 30px; }
      ol.strip li { flex: 1 1 0; min-width: 3px; border-radius: 2px; box-sizing: border-box; }
      li[data-status='ok'] { background: var(--ok); }
      li[data-status='degraded'] { background: repeating-linear-gradient(135deg, var(--degraded) 0 3px, var(--degraded-hatch) 3px 6px); }
      li[data-status='down'] { background: linear-gradient(var(--down) 0 40%, #fff 40% 60%, var(--down) 60%); }
      li[data-status='unknown'] { background: #fff; border: 1px dotted var(--unknown); }
      /* Planned maintenance: a dark cap, by shape as well as colour (the status fill stays below it). */
      li[data-maintenance] { border-top: 6px solid var(--maintenance); }
      .axis { display: flex; justify-content: space-between; font-size: 0.75rem; color: var(--muted); margin-top: 2px; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; list-style: none; font-size: 0.8rem; color: var(--muted); }
      .legend span.key { display: inline-block; width: 10px; height: 12px; margin-right: 4px; vertical-align: -2px; border-radius: 2px; box-sizing: border-box; }
      .key[data-key='ok'] { background: var(--ok); }
      .key[data-key='degraded'] { background: repeating-linear-gradient(135deg, var(--degraded) 0 3px, var(--degraded-hatch) 3px 6px); }
      .key[data-key='down'] { background: linear-gradient(var(--down) 0 40%, #fff 40% 60%, var(--down) 60%); }
      .key[data-key='unknown'] { background: #fff; border: 1px dotted var(--unknown); }
      .key[data-key='maintenance'] { background: var(--ok); border-top: 5px solid var(--maintenance); }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      .error { color: var(--down); }
    `,
  ];

  /** Loads the history again (at most every 30 s): the site page calls it as the site's figures move. */
  refresh(): void {
    this.load();
  }

  private load(): void {
    const v = VIEWS[this.view]!;
    if (this.siteId) this.history.load(`api/sites/${encodeURIComponent(this.siteId)}/uptime?period=${v.period}&count=${v.count}`);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('siteId') || changed.has('view')) this.load();
  }

  override render() {
    const history = this.history.value;
    const v = VIEWS[this.view]!;
    return html`<div class="head">
        <h3 id="uptime-heading">Uptime, last ${v.label}</h3>
        <div class="views" role="group" aria-label="Uptime history span">
          ${VIEWS.map((view, i) => html`<button type="button" aria-pressed=${i === this.view ? 'true' : 'false'} @click=${() => (this.view = i)}>${view.label}</button>`)}
        </div>
      </div>
      ${!history
        ? html`<p class=${this.history.error ? 'error' : 'summary'}>${this.history.error ? `Could not load the uptime history: ${this.history.error}` : 'Loading…'}</p>`
        : html`<p class="summary" data-summary>${uptimeSummary(history)}</p>
            <ol class="strip" aria-labelledby="uptime-heading">
              ${history.periods.map((p, i) => {
                const text = periodText(p, history.period, i === history.periods.length - 1);
                return html`<li data-status=${p.status} ?data-maintenance=${Boolean(p.maintenance?.length)} title=${text}><span class="sr">${text}</span></li>`;
              })}
            </ol>
            <div class="axis" aria-hidden="true"><span>${v.label} ago</span><span>now</span></div>
            <ul class="legend" aria-label="Key">
              <li><span class="key" data-key="ok"></span>OK</li>
              <li><span class="key" data-key="degraded"></span>Degraded (hatched)</li>
              <li><span class="key" data-key="down"></span>Down (banded)</li>
              <li><span class="key" data-key="unknown"></span>No figures (empty)</li>
              ${history.periods.some((p) => p.maintenance?.length) ? html`<li><span class="key" data-key="maintenance"></span>Planned maintenance (dark cap)</li>` : ''}
            </ul>`}`;
  }
}
customElements.define('ww-uptime-strip', WwUptimeStrip);
