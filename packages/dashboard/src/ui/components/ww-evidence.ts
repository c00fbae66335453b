// The Evidence page: a trust's evidence pack for a chosen month (GET /api/reports/:trust/:month.json)
// — time lost in hours, FTE and £, the trend against the baseline, before and after each recorded
// change, the logon, application, Wi-Fi and experience tables, the method — with print and download
// links, and the trust's annotations (changes and maintenance windows) listed and added.
import { LitElement, css, html } from 'lit';
import {
  NO_FIGURE,
  beforeAfterChange,
  countText,
  dominantPhaseText,
  evidenceChange,
  evidenceDifference,
  durationText,
  evidenceFigure,
  evidenceHours,
  evidencePoundsRange,
  shareColumn,
  signalText,
  partMonthMeaning,
  monthsBeforeDataText,
  trendTableRows,
  type BeforeAfterComparison,
  type EvidencePack,
  type ExperienceComponents,
} from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { previousMonth, routeMonth } from '../evidence.ts';
import { dateMedium, dateTimeMedium } from '../format.ts';
import { statusColours } from '../theme.ts';
import './ww-annotations.ts';
import './ww-chart.ts';

const VERDICT: Record<string, { icon: string; tone: string }> = {
  better: { icon: '✓', tone: 'ok' },
  worse: { icon: '✕', tone: 'down' },
  'no clear change': { icon: '=', tone: 'unknown' },
  'not enough data': { icon: '?', tone: 'unknown' },
};

const monthStart = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1) / 1000;
export class WwEvidence extends LitElement {
  static override properties = { trust: { type: String }, month: { type: String } };
  declare trust: string;
  /** "YYYY-MM" from the route; empty: last month. */
  declare month: string;
  private readonly pack = new FetchController<EvidencePack>(this, 60_000);

  constructor() {
    super();
    this.trust = '';
    this.month = '';
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      a { color: var(--link); }
      h2 { margin: 8px 0 4px; }
      h3 { margin: 22px 0 6px; font-size: 1.05rem; }
      h4 { margin: 12px 0 4px; font-size: 0.95rem; }
      .muted, .note { color: var(--muted); }
      .bar { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; margin: 8px 0 12px; }
      .bar label { display: inline-flex; gap: 6px; align-items: center; }
      .outputs { display: inline-flex; gap: 12px; flex-wrap: wrap; }
      section.card { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; margin: 0 0 14px; }
      .headline p { margin: 4px 0; }
      dl.figures { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 10px 0 4px; }
      dl.figures dt { color: var(--muted); font-size: 0.8rem; }
      dl.figures dd { margin: 0; font-size: 1.15rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; min-width: 50%; }
      caption { text-align: left; color: var(--muted); font-size: 0.8rem; padding-bottom: 2px; }
      th, td { padding: 3px 8px; text-align: right; border-bottom: 1px solid #e8ecef; white-space: nowrap; }
      th:first-child, td:first-child, td.text { text-align: left; }
      thead th { font-size: 0.75rem; color: var(--muted); font-weight: 600; }
      .verdict { display: inline-flex; gap: 0.35em; align-items: center; padding: 0 0.5em; border-radius: 999px; border: 1px solid currentColor; font-weight: 600; }
      .ok { color: var(--ok); background: var(--ok-bg); }
      .down { color: var(--down); background: var(--down-bg); }
      .unknown { color: var(--unknown); background: var(--unknown-bg); }
      @media print {
        .bar, ww-annotations { display: none; }
        section.card { border: none; padding: 0; }
      }
    `,
  ];

  private get chosen(): string {
    return routeMonth(this.month) ?? previousMonth(new Date());
  }

  private requested = '';

  protected override willUpdate(): void {
    // A pack is built on request and takes seconds: load it when the trust or month changes, only.
    const url = `api/reports/${encodeURIComponent(this.trust)}/${this.chosen}.json`;
    if (this.trust && url !== this.requested) {
      this.requested = url;
      this.pack.load(url);
    }
  }

  override render() {
    const month = this.chosen;
    const base = `api/reports/${encodeURIComponent(this.trust)}/${month}`;
    const pack = this.pack.value;
    return html`<a href="#/">← All sites</a>
      <h2>Evidence for funding bids</h2>
      <div class="bar">
        <label>Month <input type="month" .value=${month} max=${previousMonth(new Date(Date.now() + 32 * 86_400_000))} @change=${this.pick} aria-label="Month of the evidence pack" /></label>
        <span class="outputs">
          <a href="${base}.html" target="_blank" rel="noopener">Print (web page)</a>
          <a href="${base}.pdf" download>Download PDF</a>
          <a href="${base}.csv" download>CSV</a>
          <a href="${base}.json" download>JSON</a>
        </span>
      </div>
      ${!this.trust
        ? html`<p class="muted">Waiting for the trust's sites…</p>`
        : !pack
          ? html`<p>${this.pack.error ? `Could not build the pack: ${this.pack.error}` : 'Building the pack…'}</p>`
          : this.sections(pack)}
      ${this.trust ? html`<ww-annotations trust=${this.trust}></ww-annotations>` : ''}`;
  }

  private pick(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    if (routeMonth(value)) location.hash = `#/evidence/${value}`;
  }

  private sections(p: EvidencePack) {
    const t = p.summary.timeLost;
    return html`
      <section class="card headline" aria-labelledby="ev-summary">
        <h3 id="ev-summary">${p.title}</h3>
        ${p.summary.headline.map((line) => html`<p>${line}</p>`)}
        <dl class="figures">
          <div><dt>Staff hours lost</dt><dd data-figure="hours">${evidenceHours(t.hours)}</dd></div>
          <div><dt>Full-time equivalents</dt><dd>${t.fte.toFixed(2)}</dd></div>
          <div><dt>Worth (${p.priceYear} prices)</dt><dd data-figure="cost">${evidencePoundsRange(t.cost)}</dd></div>
          <div><dt>${p.summary.vsLastMonth.label}</dt><dd data-figure="vs-last-month">${evidenceChange(p.summary.vsLastMonth.relative)}</dd></div>
          <div><dt>${p.summary.vsBaseline.label}</dt><dd data-figure="vs-baseline">${evidenceChange(p.summary.vsBaseline.relative)}</dd></div>
        </dl>
      </section>
      ${this.trend(p)} ${this.beforeAfter(p)} ${this.logons(p)} ${this.applications(p)} ${this.wifiAndScores(p)} ${this.sensitivity(p)} ${this.method(p)}
    `;
  }

  private trend(p: EvidencePack) {
    const months = p.trend.months;
    return html`<section class="card" aria-labelledby="ev-trend">
      <h3 id="ev-trend">Trend</h3>
      <p class="note">Baseline: ${p.trend.baseline.label}${p.trend.baseline.hoursPerMonth !== null ? `, ${evidenceHours(p.trend.baseline.hoursPerMonth)} hours lost a month` : ''}.</p>
      <ww-chart
        label="Staff hours lost per month"
        step="month"
        decimals="1"
        unit=" h"
        .t=${months.map((m) => monthStart(m.month))}
        .series=${[{ label: 'Hours lost', colour: '#0b5cad', values: months.map((m) => (m.full ? m.hours : null)) }]}
      ></ww-chart>
      ${months.some((m) => m.hoursWithData > 0 && !m.full) ? html`<p class="note">A part month (${partMonthMeaning()}) is listed but not drawn or compared: its total is of fewer hours than a whole month's.</p>` : ''}
      <div class="scroll"><table data-table="trend">
        <thead><tr><th scope="col">Month</th><th scope="col">Hours lost</th><th scope="col">Worth</th><th scope="col">Logon p95</th><th scope="col">App p95</th><th scope="col">Score</th><th scope="col">vs baseline</th><th scope="col">Hours with data</th></tr></thead>
        <tbody>${trendTableRows(months).map((m) => {
          if ('from' in m) {
            const text = monthsBeforeDataText(m);
            return html`<tr data-before-data><td>${text.month}</td><td>${text.hoursLost}</td><td>${NO_FIGURE}</td><td>${NO_FIGURE}</td><td>${NO_FIGURE}</td><td>${NO_FIGURE}</td><td>${NO_FIGURE}</td><td>0</td></tr>`;
          }
          return html`<tr ?data-part=${m.hoursWithData > 0 && !m.full}><td>${m.month}</td><td>${m.hoursWithData === 0 ? 'no data' : m.full ? evidenceHours(m.hours) : `${evidenceHours(m.hours)} (part month)`}</td><td>${m.hoursWithData > 0 ? evidencePoundsRange(m.cost) : NO_FIGURE}</td><td>${durationText(m.logonP95Ms)}</td><td>${durationText(m.appP95Ms)}</td><td>${m.score ?? NO_FIGURE}</td><td>${evidenceChange(m.vsBaseline)}</td><td>${m.hoursWithData}</td></tr>`;
        })}</tbody>
      </table></div>
    </section>`;
  }

  private beforeAfter(p: EvidencePack) {
    const list = p.beforeAfter.comparisons;
    return html`<section class="card" aria-labelledby="ev-ba">
      <h3 id="ev-ba">Before and after</h3>
      ${list.length === 0 ? html`<p class="note">${p.beforeAfter.note ?? 'No change recorded.'}</p>` : list.map((c) => this.comparison(c))}
    </section>`;
  }

  private comparison(c: BeforeAfterComparison) {
    return html`<div class="comparison" data-scope=${c.scope}>
      <h4>${c.label} <span class="muted">(${c.scope}, ${dateMedium(c.at)})</span></h4>
      <p>${c.summary}</p>
      <div class="scroll"><table>
        <caption>${Math.round(c.confidence * 100)} % interval of the change; ${c.method}</caption>
        <thead><tr><th scope="col">Figure</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th><th scope="col">Interval</th><th scope="col">Verdict</th></tr></thead>
        <tbody>${c.figures.map((f) => {
          const v = VERDICT[f.direction] ?? VERDICT['no clear change']!;
          return html`<tr data-figure=${f.figure}>
            <td>${f.label}</td><td>${evidenceFigure(f.before, f.unit)}</td><td>${evidenceFigure(f.after, f.unit)}</td><td>${beforeAfterChange(f)}</td>
            <td>${f.interval ? `${evidenceDifference(f.interval[0], f.unit)} to ${evidenceDifference(f.interval[1], f.unit)}` : NO_FIGURE}</td>
            <td class="text"><span class="verdict ${v.tone}" data-verdict=${f.direction}><span aria-hidden="true">${v.icon}</span>${f.direction}</span></td>
          </tr>`;
        })}</tbody>
      </table></div>
    </div>`;
  }

  private logons(p: EvidencePack) {
    const over30 = shareColumn(p.logons.map((r) => r.shareOver30s));
    const over40 = shareColumn(p.logons.map((r) => r.shareOver40s));
    return html`<section class="card" aria-labelledby="ev-logons">
      <h3 id="ev-logons">Logons</h3>
      <div class="scroll"><table data-table="logons">
        <thead><tr><th scope="col">Where</th><th scope="col">Logons</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">Over 30 s</th><th scope="col">Over 40 s</th><th scope="col">Hours lost</th><th scope="col">Dominant phase</th></tr></thead>
        <tbody>${p.logons.map(
          (r) => html`<tr><td>${r.name}</td><td>${countText(r.logons)}</td><td>${durationText(r.p50Ms)}</td><td>${durationText(r.p95Ms)}</td><td>${over30(r.shareOver30s)}</td><td>${over40(r.shareOver40s)}</td><td>${evidenceHours(r.hoursLost)}</td><td class="text">${dominantPhaseText(r.dominantPhase)}</td></tr>`,
        )}</tbody>
      </table></div>
    </section>`;
  }

  private applications(p: EvidencePack) {
    const overTarget = shareColumn(p.applications.rows.map((r) => r.shareOverTarget));
    const availability = shareColumn(p.applications.rows.map((r) => r.availability));
    return html`<section class="card" aria-labelledby="ev-apps">
      <h3 id="ev-apps">Applications</h3>
      <div class="scroll"><table data-table="applications">
        <thead><tr><th scope="col">Site</th><th scope="col">Application</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">Over target</th><th scope="col">Availability</th><th scope="col">Hours lost</th></tr></thead>
        <tbody>${p.applications.rows.map(
          (r) => html`<tr><td>${r.siteName}</td><td class="text">${r.app}</td><td>${durationText(r.p50Ms)}</td><td>${durationText(r.p95Ms)}</td><td>${overTarget(r.shareOverTarget)}</td><td>${availability(r.availability)}</td><td>${evidenceHours(r.hoursLost)}</td></tr>`,
        )}</tbody>
      </table></div>
      <p class="note">${p.applications.incidentsNote}</p>
    </section>`;
  }

  private wifiAndScores(p: EvidencePack) {
    const good = shareColumn(p.wifi.rows.map((r) => r.shareGood));
    const part = (pick: (c: ExperienceComponents) => number | null) => shareColumn(p.experience.sites.map((r) => pick(r.components)));
    const [logon, application, wifi, device] = [part((c) => c.logon), part((c) => c.application), part((c) => c.wifi), part((c) => c.device)];
    const disruptionFree = shareColumn(p.experience.sites.map((r) => r.disruptionFree));
    return html`<section class="card" aria-labelledby="ev-wifi">
      <h3 id="ev-wifi">Wi-Fi and experience score</h3>
      <div class="scroll"><table>
        <caption>Share of signal samples at or above ${signalText(p.wifi.thresholdDbm)}</caption>
        <thead><tr><th scope="col">Where</th><th scope="col">Good signal</th><th scope="col">Median</th></tr></thead>
        <tbody>${p.wifi.rows.map((r) => html`<tr><td>${r.name}</td><td>${good(r.shareGood)}</td><td>${signalText(r.medianDbm)}</td></tr>`)}</tbody>
      </table></div>
      <div class="scroll"><table>
        <caption>Experience score (0–100) and its parts</caption>
        <thead><tr><th scope="col">Site</th><th scope="col">Score</th><th scope="col">Logon</th><th scope="col">Applications</th><th scope="col">Wi-Fi</th><th scope="col">Device</th><th scope="col">Disruption-free</th></tr></thead>
        <tbody>${p.experience.sites.map(
          (r) => html`<tr><td>${r.name}</td><td>${r.score ?? NO_FIGURE}</td><td>${logon(r.components.logon)}</td><td>${application(r.components.application)}</td><td>${wifi(r.components.wifi)}</td><td>${device(r.components.device)}</td><td>${disruptionFree(r.disruptionFree)}</td></tr>`,
        )}</tbody>
      </table></div>
    </section>`;
  }

  private sensitivity(p: EvidencePack) {
    const rows = [...p.sensitivity.logons.map((r) => ['Logons', r] as const), ...p.sensitivity.applications.map((r) => ['Applications', r] as const)];
    return html`<section class="card" aria-labelledby="ev-sens">
      <h3 id="ev-sens">Sensitivity</h3>
      <div class="scroll"><table data-table="sensitivity">
        <thead><tr><th scope="col">Time beyond</th><th scope="col">Target</th><th scope="col">Hours lost</th><th scope="col">FTE</th><th scope="col">Worth</th></tr></thead>
        <tbody>${rows.map(([what, r]) => html`<tr><td>${what}</td><td>${durationText(r.targetMs)}</td><td>${evidenceHours(r.hours)}</td><td>${r.fte.toFixed(2)}</td><td>${evidencePoundsRange(r.cost)}</td></tr>`)}</tbody>
      </table></div>
    </section>`;
  }

  private method(p: EvidencePack) {
    const m = p.method;
    return html`<section class="card" aria-labelledby="ev-method">
      <h3 id="ev-method">Method</h3>
      <p>
        ${m.period.hours} hours of ${p.month} (${m.period.timeZone}); ${m.coverage.devicesReporting} devices reporting${m.coverage.devicesKnown !== null ? ` of ${m.coverage.devicesKnown} known` : ''};
        ${m.coverage.hoursWithData} hours with data; ${m.maintenance.hoursExcluded} hours of maintenance left out; scopes shown with at least ${m.minDevices} devices.
      </p>
      ${m.maintenance.windows.length > 0 ? html`<ul>${m.maintenance.windows.map((w) => html`<li>${w.label}: ${dateTimeMedium(w.from)} – ${dateTimeMedium(w.to)}</li>`)}</ul>` : ''}
      <p class="note">${m.offline}</p>
    </section>`;
  }
}
customElements.define('ww-evidence', WwEvidence);
