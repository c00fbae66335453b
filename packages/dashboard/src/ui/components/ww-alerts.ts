// SLO alerts: what is firing (worst first), what resolved recently, the active silences and the
// recorded maintenance windows open now (which hold the alerts they cover, as silences do); for an
// operator, acknowledging a firing alert (a note, silenced for a while, who and when recorded by the
// server) and un-silencing, and assigning a firing alert to a person or a team (who and when
// recorded by the server) or taking it back.
import { LitElement, css, html } from 'lit';
import { budgetLeftText, heldByText, KEEP_FIRING_FOR_MS, type AlertAssignment, type AlertsResponse, type Annotation, type Silence, type SiteSummary, type SloAlert } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { statusColours } from '../theme.ts';
import { dateTime } from '../format.ts';
import { age } from '../freshness.ts';
import { scopeAddress } from '../route.ts';
import { siteNameOf, siteNames } from '../scope-label.ts';

type AlertView = SloAlert;
type AlertsView = AlertsResponse;

/** Where an alert's scope is shown: a site's page, the SLO list for an application across sites, the grid for the trust. */
export const scopeHref = (scope: string): string => scopeAddress(scope) ?? (scope.startsWith('app:') ? '#/slos' : '#/');

const when = (ms: number | null) => (ms ? dateTime(ms) : '–');

const ACK_HOURS = [1, 4, 24] as const;

export class WwAlerts extends LitElement {
  static override properties = { acking: { state: true }, assigning: { state: true }, message: { state: true }, sites: { attribute: false } };
  /** The app's site list: a site's scope is shown by its name. */
  declare sites: SiteSummary[];
  private names: ReadonlyMap<string, string> = new Map();
  /** Fingerprint of the alert whose acknowledge form is open. */
  declare acking: string;
  /** Fingerprint of the alert whose assign form is open. */
  declare assigning: string;
  /** The outcome of the last action, for the status line. */
  declare message: string;
  private readonly alerts = new FetchController<AlertsView>(this, 5000);
  private readonly me = new FetchController<{ name: string; role: 'viewer' | 'operator' | 'admin' }>(this, 60_000);
  /** The server's event-time clock: silences are timed by it (simulated in demo mode). */
  private serverNow: number | undefined;

  constructor() {
    super();
    this.sites = [];
    this.acking = '';
    this.assigning = '';
    this.message = '';
    // Alerts are evaluated from site figures: refresh when they move.
    new LiveController(this, {
      sites: () => this.alerts.load('api/alerts'),
      clock: (clock) => {
        const first = this.serverNow === undefined;
        this.serverNow = clock.now;
        if (first) this.requestUpdate(); // the firing alerts' durations can now be told
      },
    });
  }

  private get canAct(): boolean {
    const role = this.me.value?.role;
    return role === 'operator' || role === 'admin';
  }

  private async acknowledge(alert: AlertView, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const note = String(data.get('note') ?? '').trim();
    // The note is what tells the desk who has it: one of spaces passes `required` but says nothing.
    if (note === '') {
      this.message = 'Not acknowledged: write in the note what is being done.';
      return;
    }
    const hours = Number(data.get('hours'));
    const now = this.serverNow ?? Date.now();
    const response = await fetch('api/silences', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: { slo: alert.slo, scope: alert.scope, severity: alert.severity }, startsAt: now, endsAt: now + hours * 3_600_000, comment: note }),
    });
    const body = (await response.json()) as Silence & { error?: string };
    if (!response.ok) {
      this.message = `Not acknowledged: ${body.error ?? `HTTP ${response.status}`}`;
      return;
    }
    this.acking = '';
    this.message = `Acknowledged ${alert.slo} on ${alert.scope}: silenced until ${when(body.endsAt)}${body.createdBy ? ` by ${body.createdBy}` : ''}.`;
    this.alerts.load('api/alerts', true);
  }

  private async assign(alert: AlertView, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const response = await fetch(`api/alerts/${encodeURIComponent(alert.fingerprint)}/assignment`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: String(data.get('assignee') ?? ''), note: String(data.get('note') ?? '') }),
    });
    const body = (await response.json()) as AlertAssignment & { error?: string };
    if (!response.ok) {
      this.message = `Not assigned: ${body.error ?? `HTTP ${response.status}`}`;
      return;
    }
    this.assigning = '';
    this.message = `Assigned ${alert.slo} on ${alert.scope} to ${body.assignee}${body.assignedBy ? ` by ${body.assignedBy}` : ''} at ${when(body.assignedAt)}.`;
    this.alerts.load('api/alerts', true);
  }

  private async unassign(alert: AlertView): Promise<void> {
    const response = await fetch(`api/alerts/${encodeURIComponent(alert.fingerprint)}/assignment`, { method: 'DELETE' });
    this.message = response.ok ? `${alert.slo} on ${alert.scope} is assigned to nobody now.` : `Not unassigned: HTTP ${response.status}`;
    this.alerts.load('api/alerts', true);
  }

  private async unsilence(silence: Silence): Promise<void> {
    const response = await fetch(`api/silences/${encodeURIComponent(silence.id)}`, { method: 'DELETE' });
    this.message = response.ok ? `Silence removed: ${silence.matchers.slo ?? 'every SLO'} on ${silence.matchers.scope ?? 'every scope'} alerts again.` : `Not removed: HTTP ${response.status}`;
    this.alerts.load('api/alerts', true);
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; }
      a { color: var(--link); }
      /* A table wider than a phone scrolls inside its own region (reachable by keyboard), not the page. */
      .scroll { overflow-x: auto; margin-bottom: 16px; }
      .scroll:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      .scroll > table { margin-bottom: 0; }
      table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--border); font-size: 0.9rem; margin-bottom: 16px; }
      caption { text-align: left; font-weight: 700; padding: 0 0 6px; }
      th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid #e8ecef; vertical-align: top; }
      th { font-size: 0.75rem; text-transform: uppercase; color: var(--muted); background: #f8fafb; }
      .sev { font-weight: 700; white-space: nowrap; }
      .page { color: var(--down); }
      .ticket { color: var(--degraded); }
      .muted { color: var(--muted); }
      .key { display: block; font-size: 0.8rem; color: var(--muted); }
      .message:empty { display: none; }
      .message { font-weight: 600; }
      tr.ack form, tr.assign form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; }
      tr.ack label, tr.assign label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); }
      td.actions { white-space: nowrap; }
      td.actions > * + * { margin-left: 6px; }
      .assignee { font-weight: 600; }
      .by { display: block; font-size: 0.8rem; color: var(--muted); }
      input, select, button { font: inherit; font-size: 0.9rem; padding: 3px 8px; border: 1px solid #6b737b; border-radius: 4px; background: #fff; color: var(--text); }
      button { cursor: pointer; }
      input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      /* A phone (whoever is paged opens the alert there): each alert a card of labelled lines, read top
         to bottom, instead of eight columns scrolled sideways past the summary and the actions. The
         labels are the column headers' words, left out of what a screen reader reads (it has the headers). */
      @media (max-width: 640px) {
        table.alerts thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        table.alerts, table.alerts tbody, table.alerts tr, table.alerts td { display: block; }
        table.alerts tbody tr { padding: 8px 10px; border-bottom: 1px solid var(--border); }
        table.alerts td { border: 0; padding: 2px 0; }
        table.alerts td[data-label]::before { content: attr(data-label) / ''; display: block; font-size: 0.75rem; text-transform: uppercase; color: var(--muted); }
        td.actions { white-space: normal; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.alerts.load('api/alerts');
    this.me.load('api/me');
  }

  private ackForm(a: AlertView, columns: number) {
    return html`<tr class="ack"><td colspan=${columns}>
      <form aria-label="Acknowledge ${a.slo} on ${a.scope}" @submit=${(e: Event) => {
        e.preventDefault();
        void this.acknowledge(a, e.target as HTMLFormElement);
      }}>
        <label>Note (what is being done) <input name="note" required pattern=".*\\S.*" title="Say what is being done" maxlength="500" /></label>
        <label>Silence for <select name="hours">${ACK_HOURS.map((h) => html`<option value=${h}>${h} h</option>`)}</select></label>
        <button type="submit">Acknowledge and silence</button>
        <button type="button" @click=${() => (this.acking = '')}>Cancel</button>
      </form>
    </td></tr>`;
  }

  private assignForm(a: AlertView, columns: number) {
    return html`<tr class="assign"><td colspan=${columns}>
      <form aria-label="Assign ${a.slo} on ${a.scope}" @submit=${(e: Event) => {
        e.preventDefault();
        void this.assign(a, e.target as HTMLFormElement);
      }}>
        <label>Assign to (person or team) <input name="assignee" required maxlength="200" .value=${a.assignment?.assignee ?? ''} /></label>
        <label>Note <input name="note" maxlength="500" /></label>
        <button type="submit">Assign</button>
        <button type="button" @click=${() => (this.assigning = '')}>Cancel</button>
      </form>
    </td></tr>`;
  }

  /** Who has the alert: name, by whom and when, the note. */
  private assignee(a: AlertView) {
    const given = a.assignment;
    if (!given) return html`<span class="muted">Nobody</span>`;
    return html`<span class="assignee">${given.assignee}</span>
      <span class="by">by ${given.assignedBy || 'the local administrator'}, ${when(given.assignedAt)}${given.note ? html` — ${given.note}` : ''}</span>`;
  }

  private actions(a: AlertView) {
    const toggle = (form: 'acking' | 'assigning') => () => {
      const open = this[form] === a.fingerprint;
      this.acking = '';
      this.assigning = '';
      if (!open) this[form] = a.fingerprint;
    };
    return html`<td class="actions" data-label="Action">
      ${a.silencedBy
        ? html`<span class="muted">${this.inMaintenance(a) ? 'Planned maintenance' : 'Acknowledged'}</span>`
        : html`<button type="button" aria-expanded=${this.acking === a.fingerprint ? 'true' : 'false'} @click=${toggle('acking')}>Acknowledge…</button>`}
      <button type="button" aria-expanded=${this.assigning === a.fingerprint ? 'true' : 'false'} @click=${toggle('assigning')}>${a.assignment ? 'Reassign…' : 'Assign…'}</button>
      ${a.assignment ? html`<button type="button" @click=${() => void this.unassign(a)}>Unassign</button>` : ''}
    </td>`;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('sites')) this.names = siteNames(this.sites);
  }

  /** How long it has fired (by the server's clock, once the stream has told it), or how long it fired. */
  private duration(a: AlertView) {
    const to = a.endsAt ?? this.serverNow;
    if (to === undefined || to < a.startsAt) return '';
    return html`<span class="key" data-duration>${a.endsAt ? 'lasted' : 'for'} ${age(to - a.startsAt)}</span>`;
  }

  /** An alert held after its rules stopped: since when, and when it resolves unless it burns again. */
  private clearing(a: AlertView) {
    if (a.clearingSince === undefined || a.endsAt) return '';
    return html`<span class="clearing" data-clearing> — burning below its thresholds since ${when(a.clearingSince)}; resolves ${when(a.clearingSince + KEEP_FIRING_FOR_MS)} unless it burns again</span>`;
  }

  /** Whether planned work holds the alert (a recorded maintenance window, or a silence of kind maintenance). */
  private inMaintenance(a: AlertView): boolean {
    return a.silencedBy !== null && a.silenceKind === 'maintenance';
  }

  /** A scope as a link to its page: a site by its name, its key beside it. */
  private scopeCell(scope: string) {
    const name = siteNameOf(scope, this.names);
    return html`<a href=${scopeHref(scope)} data-scope=${scope}>${name ?? scope}</a>${name ? html`<span class="key">${scope}</span>` : ''}`;
  }

  private rows(list: AlertView[], caption: string, empty: string, actions = false) {
    if (list.length === 0) return html`<p><strong>${caption}:</strong> <span class="muted">${empty}</span></p>`;
    const act = actions && this.canAct;
    const columns = act ? 8 : 7;
    return html`<div class="scroll" role="region" aria-label=${caption} tabindex="0"><table class="alerts">
      <caption>${caption}</caption>
      <thead><tr><th scope="col">Severity</th><th scope="col">SLO</th><th scope="col">Scope</th><th scope="col">Since</th><th scope="col">Budget left</th><th scope="col">Summary</th><th scope="col">Assigned to</th>${act ? html`<th scope="col">Action</th>` : ''}</tr></thead>
      <tbody>
        ${list.map(
          (a) => html`<tr data-fingerprint=${a.fingerprint} data-severity=${a.severity} ?data-silenced=${Boolean(a.silencedBy)} ?data-assigned=${Boolean(a.assignment)}>
            <td class="sev ${a.severity}" data-label="Severity">${a.severity === 'page' ? '✕ Page' : '▲ Ticket'}${a.silencedBy ? html` <span class="muted" data-held>${heldByText(a.silenceKind ?? 'silence').trim()}</span>` : ''}</td>
            <td data-label="SLO">${a.slo}</td>
            <td data-label="Scope">${this.scopeCell(a.scope)}</td>
            <td data-label="Since">${when(a.startsAt)}${a.endsAt ? html` – ${when(a.endsAt)}` : ''}${this.duration(a)}</td>
            <td data-label="Budget left">${budgetLeftText(a.errorBudgetRemaining)}</td>
            <td data-label="Summary">${a.summary ?? ''}${this.clearing(a)}</td>
            <td class="assigned" data-label="Assigned to">${this.assignee(a)}</td>
            ${act ? this.actions(a) : ''}
          </tr>
          ${act && this.acking === a.fingerprint ? this.ackForm(a, columns) : ''}
          ${act && this.assigning === a.fingerprint ? this.assignForm(a, columns) : ''}`,
        )}
      </tbody>
    </table></div>`;
  }

  override render() {
    const view = this.alerts.value;
    return html`<a href="#/">← All sites</a>
      <h2>Alerts</h2>
      ${!view
        ? html`<p>${this.alerts.error ? `Could not load alerts: ${this.alerts.error}` : 'Loading…'}</p>`
        : html`<p class="message" role="status">${this.message}</p>
          ${this.rows(view.firing, 'Firing', 'nothing is burning its error budget fast enough to alert.', true)}
          ${this.rows(view.resolved, 'Resolved recently', 'none.')}
          ${this.silences(view.silences)} ${this.maintenance(view.maintenance ?? [])}`}`;
  }

  /** The maintenance windows open now: recorded with the evidence page's annotations, removed there. */
  private maintenance(list: Annotation[]) {
    // Recorded with the trust's changes, on the evidence page (ww-annotations): said here, where the windows act.
    const record = html`<a href="#/evidence" data-record-maintenance>Record planned maintenance</a> <span class="muted">(with the trust's changes, on the evidence page)</span>`;
    if (list.length === 0) return html`<p><strong>Planned maintenance:</strong> <span class="muted">none open.</span> ${record}</p>`;
    return html`<div class="scroll" role="region" aria-label="Planned maintenance" tabindex="0"><table class="maintenance">
      <caption>Planned maintenance (holds the alerts of its site, or of its trust)</caption>
      <thead><tr><th scope="col">Where</th><th scope="col">What</th><th scope="col">From</th><th scope="col">Until</th><th scope="col">By</th></tr></thead>
      <tbody>
        ${list.map(
          (w) => html`<tr data-maintenance=${w.id}>
            <td>${w.scope === 'trust' ? `every site of ${w.trust}` : this.scopeCell(w.scope)}</td>
            <td>${w.title}</td>
            <td>${when(w.start)}</td>
            <td>${when(w.end ?? null)}</td>
            <td>${w.createdBy || html`<span class="muted">local administrator</span>`}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    <p>${record}</p>`;
  }

  private silences(list: Silence[]) {
    if (list.length === 0) return html`<p><strong>Silences:</strong> <span class="muted">none active.</span></p>`;
    return html`<div class="scroll" role="region" aria-label="Silences" tabindex="0"><table class="silences">
      <caption>Silences (acknowledgements)</caption>
      <thead><tr><th scope="col">Matches</th><th scope="col">From</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Note</th>${this.canAct ? html`<th scope="col">Action</th>` : ''}</tr></thead>
      <tbody>
        ${list.map(
          (s) => html`<tr data-silence=${s.id}>
            <td>${[s.matchers.slo, s.matchers.scope, s.matchers.severity].filter(Boolean).join(' · ') || 'every alert'}</td>
            <td>${when(s.startsAt)}</td>
            <td>${when(s.endsAt)}</td>
            <td>${s.createdBy || html`<span class="muted">local administrator</span>`}</td>
            <td>${s.comment}</td>
            ${this.canAct ? html`<td><button type="button" @click=${() => void this.unsilence(s)}>Un-silence</button></td>` : ''}
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }
}
customElements.define('ww-alerts', WwAlerts);
