// Service levels: every SLO on each of its scopes with its objective, the SLI now, the error budget
// left (word, number and bar, so it reads without colour), the burn rate per alerting window, and a
// burn-down chart of the budget left over the SLO window; worst first (slo-order.ts), with a view of
// only those needing attention. Refreshed live like the alerts view.
import { LitElement, css, html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { budgetLeftText, burnRateText, heldByText, KEEP_FIRING_FOR_MS, shareText, type BudgetHistory, type SiteSummary, type SloSummary } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { dateTime } from '../format.ts';
import { siteNameOf, siteNames } from '../scope-label.ts';
import { budgetBadge, budgetState, coverageText, needsAttention, worstSlosFirst, type BudgetBadge, type BudgetState } from '../slo-order.ts';
import { statusColours } from '../theme.ts';
import './ww-chart.ts';

type SloView = SloSummary;
type BudgetHistoryView = BudgetHistory;

/** The budget in words, with the status palette's class and icon (✓ ▲ ✕ ?). */
export const BUDGET_LABEL: Record<BudgetBadge, { icon: string; word: string; tone: 'ok' | 'degraded' | 'down' | 'unknown' }> = {
  healthy: { icon: '✓', word: 'Healthy', tone: 'ok' },
  low: { icon: '▲', word: 'Low', tone: 'degraded' },
  exhausted: { icon: '✕', word: 'Exhausted', tone: 'down' },
  'no-data': { icon: '?', word: 'No data', tone: 'unknown' },
  'burning-fast': { icon: '✕', word: 'Burning fast', tone: 'down' },
  burning: { icon: '▲', word: 'Burning', tone: 'degraded' },
};

const when = dateTime;
/** Chart floor and ceiling: an overspent budget (−11 720 %) would flatten the line that matters. */
const CHART_FLOOR = -100;
const BURNDOWN_AXIS = { zero: true, floor: CHART_FLOOR } as const;
/** Where the budget is all spent: a target line, not a series with a "latest value" of its own ("budget spent (0 %)" read as none of it spent). */
const BURNDOWN_TARGETS = [{ value: 0, label: 'all spent (0 % left)' }];
/** The legend's budget written as the card writes it (the chart's values are in per cent). */
const burndownValue = (value: number) => budgetLeftText(value / 100);

export class WwSlos extends LitElement {
  static override properties = { show: { state: true }, sites: { attribute: false } };
  /** The app's site list: a site target is named as well as keyed. */
  declare sites: SiteSummary[];
  private names: ReadonlyMap<string, string> = new Map();
  /** Every target, or only those needing attention (firing, budget low or spent). */
  declare show: 'all' | 'attention';
  private readonly slos = new FetchController<SloView[]>(this, 5000);

  constructor() {
    super();
    this.show = 'all';
    this.sites = [];
    // SLOs are evaluated from the same rollups as the site figures: refresh when they move.
    new LiveController(this, { sites: () => this.slos.load('api/slos') });
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      a { color: var(--link); }
      h2 { margin: 8px 0 4px; }
      .summary, .muted { color: var(--muted); }
      .list { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); gap: 16px; }
      section.slo { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; min-width: 0; }
      section.slo header { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
      h3 { margin: 0; font-size: 1rem; }
      .scope { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9rem; }
      .site-name { font-family: inherit; font-weight: 600; }
      dl.figures { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 8px 0; }
      dl.figures dt { color: var(--muted); font-size: 0.8rem; }
      dl.figures dd { margin: 0; font-size: 1.15rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      .state { display: inline-flex; gap: 0.35em; align-items: center; padding: 0.05em 0.55em; border-radius: 999px; font-weight: 600; font-size: 0.85rem; border: 1px solid currentColor; white-space: nowrap; }
      .ok { color: var(--ok); background: var(--ok-bg); }
      .degraded { color: var(--degraded); background: var(--degraded-bg); }
      .down { color: var(--down); background: var(--down-bg); }
      .unknown { color: var(--unknown); background: var(--unknown-bg); }
      .bar { height: 10px; border: 1px solid var(--border); border-radius: 3px; background: #f1f3f5; margin: 2px 0 8px; overflow: hidden; }
      .bar > span { display: block; height: 100%; background: currentColor; }
      table.burn { border-collapse: collapse; font-size: 0.85rem; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
      table.burn caption { text-align: left; font-size: 0.8rem; color: var(--muted); padding-bottom: 2px; }
      table.burn th, table.burn td { padding: 2px 8px; text-align: right; border-bottom: 1px solid #e8ecef; }
      table.burn th[scope='row'] { text-align: left; color: var(--muted); font-weight: 400; }
      table.burn thead th { font-size: 0.75rem; color: var(--muted); font-weight: 600; }
      /* A phone: the seven windows share the card's width rather than run past it. */
      @media (max-width: 520px) {
        table.burn { width: 100%; table-layout: fixed; font-size: 0.75rem; }
        table.burn th, table.burn td { padding: 2px 1px; }
      }
      .firing { margin: 0 0 6px; font-weight: 600; }
      .page { color: var(--down); }
      .ticket { color: var(--degraded); }
      .show { display: flex; gap: 8px; margin: 4px 0 12px; }
      .show button { font: inherit; font-size: 0.9rem; padding: 3px 10px; border: 1px solid #6b737b; border-radius: 4px; background: #fff; color: var(--text); cursor: pointer; }
      .show button[aria-pressed='true'] { background: #0f2a44; border-color: #0f2a44; color: #fff; }
      .show button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.slos.load('api/slos');
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('sites')) this.names = siteNames(this.sites);
  }

  override render() {
    const list = this.slos.value;
    if (!list) {
      return html`<a href="#/">← All sites</a>
        <h2>Service levels</h2>
        <p>${this.slos.error ? `Could not load SLOs: ${this.slos.error}` : 'Loading…'}</p>`;
    }
    const states = list.map((s) => budgetState(s.errorBudgetRemaining, s.validEvents));
    const count = (state: BudgetState) => states.filter((s) => s === state).length;
    const attention = list.filter(needsAttention);
    const shown = worstSlosFirst(this.show === 'attention' ? attention : list);
    const choice = (show: WwSlos['show'], label: string) =>
      html`<button type="button" data-show=${show} aria-pressed=${this.show === show ? 'true' : 'false'} @click=${() => (this.show = show)}>${label}</button>`;
    return html`<a href="#/">← All sites</a>
      <h2>Service levels</h2>
      <p class="summary">
        ${list.length} SLO targets · ${count('exhausted')} budget exhausted · ${count('low')} low · ${list.filter((s) => s.severity).length} alerting ·
        evaluated at ${list[0] ? when(list[0].at) : '–'} (event time)
      </p>
      <p class="muted" data-settled>
        Budgets and burn rates count only settled minutes, each once its late events have had time to arrive, so that every alert
        window holds whole minutes: they trail the live site grid by a few minutes.
      </p>
      ${list.length === 0
        ? html`<p class="muted">No SLO has any data yet.</p>`
        : html`<div class="show" role="group" aria-label="Targets shown">${choice('all', `All, worst first (${list.length})`)}${choice('attention', `Needing attention (${attention.length})`)}</div>`}
      ${this.show === 'attention' && attention.length === 0 && list.length > 0 ? html`<p class="muted" data-none>No SLO target needs attention: none is alerting, and no budget is low or spent.</p>` : ''}
      <div class="list">${repeat(
        shown,
        // Keyed, so that a target moving up or down the order takes its card (and chart) with it.
        (s) => `${s.slo} ${s.scope}`,
        (s) => this.card(s, budgetState(s.errorBudgetRemaining, s.validEvents)),
      )}</div>`;
  }

  /**
   * The rules burning now, under the worst severity among them (a held page beside a burning ticket is
   * told apart above), and what holds that alert's notifications, as the alerts page says it.
   */
  private burning(rules: SloView['firing'], s: SloView) {
    const severity = rules.some((r) => r.severity === 'page') ? 'page' : 'ticket';
    return html`<p class="firing ${severity}">
      ${severity === 'page' ? '✕ Page' : '▲ Ticket'}${severity === s.severity ? heldByText(s.silenceKind) : ''}: burning ${rules.map((r) => `≥ ${r.burnRate}× over ${r.longWindow} and ${r.shortWindow}`).join('; ')}
    </p>`;
  }

  private card(s: SloView, state: BudgetState) {
    const siteName = siteNameOf(s.scope, this.names);
    const label = BUDGET_LABEL[budgetBadge(state, s.severity)];
    const filled = Math.max(0, Math.min(1, s.errorBudgetRemaining)) * 100;
    const windows = Object.keys(s.burnRates);
    return html`<section class="slo" data-slo=${s.slo} data-scope=${s.scope} data-budget=${state} aria-labelledby="h-${s.slo}-${s.scope} s-${s.slo}-${s.scope}">
      <header>
        <h3 id="h-${s.slo}-${s.scope}">${s.slo}</h3>
        <span class="scope" id="s-${s.slo}-${s.scope}">${s.scope}${siteName ? html` <span class="site-name">${siteName}</span>` : ''}</span>
        <span class="muted">${s.indicator}, rolling ${s.window}</span>
      </header>
      <dl class="figures">
        <div><dt>Objective</dt><dd>${shareText(s.objective)}</dd></div>
        <div><dt>SLI now (${s.window})</dt><dd>${shareText(s.sli)}</dd></div>
        <div>
          <dt>Error budget left</dt>
          <dd><span class="state ${label.tone}" data-budget-word><span aria-hidden="true">${label.icon}</span>${label.word}</span> ${state === 'no-data' ? '–' : budgetLeftText(s.errorBudgetRemaining)}</dd>
        </div>
      </dl>
      <div
        class="bar ${label.tone}"
        role="meter"
        aria-label="Error budget left"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${filled.toFixed(1)}
        aria-valuetext="${label.word}: ${budgetLeftText(s.errorBudgetRemaining)}"
      ><span ${ref(barWidth(filled))}></span></div>
      ${coverageText(s.budgetCoverage, s.windowMs, s.window) ? html`<p class="coverage muted" data-coverage>${coverageText(s.budgetCoverage, s.windowMs, s.window)}</p>` : ''}
      ${s.severity && s.clearingSince !== undefined
        ? html`<p class="firing ${s.severity}" data-held>
            ${s.severity === 'page' ? '✕ Page' : '▲ Ticket'}${heldByText(s.silenceKind)}, held: burning below its thresholds since ${when(s.clearingSince)}; resolves ${when(s.clearingSince + KEEP_FIRING_FOR_MS)} unless it burns again
          </p>`
        : ''}
      ${s.firing.length > 0 ? this.burning(s.firing, s) : ''}
      <table class="burn">
        <caption>Burn rate per alerting window (1× spends the budget exactly over ${s.window})</caption>
        <thead><tr><th scope="col">window</th>${windows.map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
        <tbody><tr><th scope="row">burn rate</th>${windows.map((w) => html`<td>${burnRateText(s.burnRates[w]!)}</td>`)}</tr></tbody>
      </table>
      <ww-slo-burndown slo=${s.slo} scope=${s.scope} .at=${s.at}></ww-slo-burndown>
    </section>`;
  }
}
customElements.define('ww-slos', WwSlos);

/**
 * One SLO target's burn-down: the budget left over the rolling window at each time, from GET
 * /api/slos/:slo/budget — asked for only once the card comes near the screen. A trust of a hundred
 * sites has some three hundred targets: drawing every chart at once took the page seconds of a
 * blocked main thread and three hundred requests, for the five or six cards in view.
 */
export class WwSloBurndown extends LitElement {
  static override properties = { slo: { type: String }, scope: { type: String }, at: { type: Number }, near: { state: true } };
  declare slo: string;
  declare scope: string;
  /** Time of the evaluation shown; a new one reloads the history. */
  declare at: number;
  /** Whether the card has come within a screen of the viewport (then it stays drawn). */
  declare near: boolean;
  private readonly history = new FetchController<BudgetHistoryView>(this, 5000);
  private observer: IntersectionObserver | undefined;

  constructor() {
    super();
    this.slo = '';
    this.scope = '';
    this.at = 0;
    this.near = false;
  }

  static override styles = css`
    :host { display: block; }
    /* The chart's room kept while it waits, so that the page does not jump as charts come. */
    :host(:not([drawn])) { min-height: 280px; }
    .note { color: #5b6570; font-size: 0.8rem; margin: 2px 0 0; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.near) return;
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.near = true;
        this.observer?.disconnect();
        this.observer = undefined;
      },
      { rootMargin: '100% 0px' },
    );
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if ((changed.has('slo') || changed.has('scope') || changed.has('at') || changed.has('near')) && this.near && this.slo && this.scope) {
      this.history.load(`api/slos/${encodeURIComponent(this.slo)}/budget?scope=${encodeURIComponent(this.scope)}&points=200`);
    }
  }

  protected override updated(): void {
    this.toggleAttribute('drawn', this.history.value !== undefined);
  }

  override render() {
    const h = this.history.value;
    if (!h) return html`<p class="note">${this.history.error ? `Could not load the burn-down: ${this.history.error}` : this.near ? 'Loading the burn-down…' : 'The burn-down is drawn when the card comes into view.'}</p>`;
    const { t, budgetRemaining } = h.series;
    if (t.length === 0) return html`<p class="note">No data yet for a burn-down.</p>`;
    const floored = budgetRemaining.some((r) => r * 100 < CHART_FLOOR);
    return html`<ww-chart
        label="Error budget left over the rolling ${h.window} window for ${this.slo} on ${this.scope}, from ${when(t[0]! * 1000)} to ${when(t[t.length - 1]! * 1000)}; now ${budgetLeftText(budgetRemaining[budgetRemaining.length - 1]!)}"
        unit=" %"
        step="instant"
        .t=${t}
        .axis=${BURNDOWN_AXIS}
        .format=${burndownValue}
        .targets=${BURNDOWN_TARGETS}
        .series=${[{ label: 'budget left', colour: '#0b5cad', values: budgetRemaining.map((r) => r * 100) }]}
      ></ww-chart>
      <p class="note">
        Budget left over the rolling ${h.window} window at each time, since ${when(t[0]! * 1000)}${floored ? html`; the axis stops at −100 %, and the line runs off it below` : ''}.
      </p>`;
  }
}
customElements.define('ww-slo-burndown', WwSloBurndown);

/**
 * Sets the bar's width through the CSSOM: the Content-Security-Policy refuses style attributes, and
 * Lit's styleMap writes one on first render.
 */
function barWidth(percentFilled: number) {
  return (element?: Element) => {
    if (element) (element as HTMLElement).style.width = `${percentFilled}%`;
  };
}
