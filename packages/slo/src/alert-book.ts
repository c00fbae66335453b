// The alert lifecycle: burn-rate evaluations in, alerts (firing → resolved, one per fingerprint) and
// the notifications to send out. Pure: time is passed in, sending is the caller's job.
import { budgetDataSpan, budgetLeftText, burnRateText, KEEP_FIRING_FOR_MS, type AlertAssignment } from '@wardwatch/schema';
import { fingerprint, type AlertsResponse, type FiredRule, type SloAlert } from './alert.ts';
import { SEVERITIES, type Severity } from './definition.ts';
import { budgetCoverage, type BurnRateEvaluation } from './evaluate.ts';
import { silenceApplies, type Silence } from './silence.ts';

export interface Notification {
  status: 'firing' | 'resolved';
  /** A copy of the alert as it stood when the notification was decided. */
  alert: SloAlert;
  /** True when re-sent after repeatIntervalMs of continuous firing. */
  repeat: boolean;
  at: number;
}

export interface AlertBookOptions {
  /** How long an alert keeps firing after its rules stop (default KEEP_FIRING_FOR_MS; 0 resolves at once). */
  keepFiringForMs?: number;
  /** How long resolved alerts stay in the book (default 24 h). */
  retainResolvedMs?: number;
  /** At most this many resolved alerts are kept (default 500). */
  maxResolved?: number;
  /** Re-notify an alert still firing after this long (default 4 h, as Alertmanager); null never. */
  repeatIntervalMs?: number | null;
}

/**
 * What holds alerts' notifications besides the book's own silences: the server's recorded maintenance
 * windows (a site the screens show in planned work is not paged for). Judged as silences are, after
 * them: an alert a silence holds names the silence.
 */
export interface AlertHolds {
  /** The id of what holds the alert's notifications at `now`, or null. */
  heldBy(alert: Pick<SloAlert, 'slo' | 'scope' | 'severity'>, now: number): string | null;
}

export class AlertBook {
  private holds: AlertHolds | undefined;
  private readonly active = new Map<string, SloAlert>();
  private resolvedAlerts: SloAlert[] = [];
  private readonly silenceList = new Map<string, Silence>();
  /** By fingerprint: who is on each firing alert, and those restored before their alert fires again. */
  private readonly assignments = new Map<string, AlertAssignment>();
  /** Fingerprints whose assignment ended (their alert resolved, or was not firing after a restart). */
  private ended: string[] = [];
  private readonly retainResolvedMs: number;
  private readonly maxResolved: number;
  private readonly repeatIntervalMs: number | null;
  private readonly keepFiringForMs: number;
  /** Moves on at every silence or assignment added, taken away or ended (see `changes`). */
  private changeCount = 0;

  constructor(options: AlertBookOptions = {}, state?: AlertsResponse) {
    this.retainResolvedMs = options.retainResolvedMs ?? 24 * 3_600_000;
    this.maxResolved = options.maxResolved ?? 500;
    this.repeatIntervalMs = options.repeatIntervalMs === undefined ? 4 * 3_600_000 : options.repeatIntervalMs;
    this.keepFiringForMs = options.keepFiringForMs ?? KEEP_FIRING_FOR_MS;
    if (state) {
      for (const alert of state.firing) this.active.set(alert.fingerprint, structuredClone(alert));
      this.resolvedAlerts = structuredClone(state.resolved);
      for (const silence of state.silences) this.silenceList.set(silence.id, structuredClone(silence));
      for (const alert of state.firing) if (alert.assignment) this.assignments.set(alert.fingerprint, structuredClone(alert.assignment));
    }
  }

  /**
   * Gives the alert with this fingerprint to someone, replacing whoever had it. The assignment holds
   * while the alert fires and goes with it into the resolved list. One given before the alert fires
   * (restored after a restart, before the first evaluation) waits for it; if the next evaluation of
   * its SLO and scope finds it not firing, it ends.
   */
  assign(fingerprintValue: string, assignment: AlertAssignment): void {
    this.changeCount++;
    this.assignments.set(fingerprintValue, structuredClone(assignment));
    const alert = this.active.get(fingerprintValue);
    if (alert) alert.assignment = structuredClone(assignment);
  }

  /** Takes the alert off whoever had it; false when nobody had. */
  unassign(fingerprintValue: string): boolean {
    this.changeCount++;
    const alert = this.active.get(fingerprintValue);
    if (alert) alert.assignment = null;
    return this.assignments.delete(fingerprintValue);
  }

  /** The fingerprints whose assignments ended since the last call (for the caller to forget them too). */
  takeEndedAssignments(): string[] {
    const ended = this.ended;
    this.ended = [];
    return ended;
  }

  /**
   * `now` given (the API's silences): the firing alerts say at once whether it holds them, rather than
   * at the next evaluation — the alerts page, the site list and the wall then agree from the start.
   */
  addSilence(silence: Silence, now?: number): void {
    this.changeCount++;
    this.silenceList.set(silence.id, structuredClone(silence));
    if (now !== undefined) this.markSilenced(now);
  }

  removeSilence(id: string, now?: number): boolean {
    this.changeCount++;
    const removed = this.silenceList.delete(id);
    if (removed && now !== undefined) this.markSilenced(now);
    return removed;
  }

  /**
   * How many silences and assignments have been added, taken away or ended so far. A caller that read
   * the stored ones compares it before and after its read: a change made meanwhile (stored, then put
   * here; or an assignment ended with its alert, then forgotten by the store) may be missing from, or
   * still in, what it read, which must not then replace it (`replaceShared`).
   */
  get changes(): number {
    return this.changeCount;
  }

  /**
   * Makes the silences and the assignments exactly those given — the ones stored, which every server
   * sharing the store writes to — so that a silence made or lifted, or an alert taken, through
   * another server holds here too. The firing alerts say at once what holds them now. Returns whether
   * anything changed.
   */
  replaceShared(silences: readonly Silence[], assignments: ReadonlyMap<string, AlertAssignment>, now: number): boolean {
    let changed = false;
    const wanted = new Map(silences.map((s) => [s.id, s]));
    for (const id of [...this.silenceList.keys()]) if (!wanted.has(id)) changed = this.silenceList.delete(id) || changed;
    for (const silence of silences) {
      const had = this.silenceList.get(silence.id);
      if (had && JSON.stringify(had) === JSON.stringify(silence)) continue;
      this.silenceList.set(silence.id, structuredClone(silence));
      changed = true;
    }
    for (const print of [...this.assignments.keys()]) if (!assignments.has(print)) changed = this.unassign(print) || changed;
    for (const [print, assignment] of assignments) {
      const had = this.assignments.get(print);
      if (had && JSON.stringify(had) === JSON.stringify(assignment)) continue;
      this.assign(print, assignment);
      changed = true;
    }
    if (changed) {
      this.changeCount++;
      this.markSilenced(now);
    }
    return changed;
  }

  /** Holds notifications by `holds` too (see AlertHolds); `now` given, the firing alerts say so at once. */
  holdWith(holds: AlertHolds | undefined, now?: number): void {
    this.holds = holds;
    if (now !== undefined) this.markSilenced(now);
  }

  private markSilenced(now: number): void {
    for (const alert of this.active.values()) this.markHeld(alert, now);
  }

  /** Silences not yet ended at `now` (all of them without `now`). */
  silences(now?: number): Silence[] {
    return [...this.silenceList.values()].filter((s) => now === undefined || s.endsAt > now).map((s) => structuredClone(s));
  }

  /**
   * Applies one round of evaluations. An alert fires per (SLO, scope, severity) while any rule of that
   * severity fires, and resolves at the first evaluation of its (SLO, scope) that shows none once
   * `keepFiringForMs` has passed since one first showed none (`clearingSince`); (SLO, scope) pairs
   * absent from `evaluations` are left as they are. Returns the notifications to send.
   *
   * `silencesAt`: the time silences are judged at (default `now`). Evaluations run as of a settled
   * minute that trails the clock; silences are set by the clock (GET /api/alerts judges them there),
   * so a silence judged at the evaluation's time would hold notifications minutes after the API
   * showed it over, and none in its first minutes though the API showed it applied.
   */
  update(now: number, evaluations: readonly BurnRateEvaluation[], silencesAt = now): Notification[] {
    const notifications: Notification[] = [];
    for (const evaluation of evaluations) {
      for (const severity of SEVERITIES) this.apply(now, evaluation, severity, notifications, silencesAt);
    }
    for (const alert of this.active.values()) {
      this.markHeld(alert, silencesAt);
      // Held after its rules stopped: nobody is paged (or paged again) for a burn that has stopped.
      if (alert.silencedBy !== null || alert.clearingSince !== undefined) continue;
      const repeat = alert.notifiedAt !== null;
      if (repeat && (this.repeatIntervalMs === null || now - alert.notifiedAt! < this.repeatIntervalMs)) continue;
      alert.notifiedAt = now;
      notifications.push({ status: 'firing', alert: structuredClone(alert), repeat, at: now });
    }
    this.prune(now);
    return notifications;
  }

  /**
   * The firing alerts, pages first. `now` given: each says whether a silence holds it as of then (the
   * API's and the site grid's view), rather than as of the last evaluation — a silence that ends or a
   * maintenance window that starts between two evaluations shows at once, everywhere alike.
   */
  firing(now?: number): SloAlert[] {
    const list = [...this.active.values()].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.startsAt - b.startsAt).map((a) => structuredClone(a));
    if (now !== undefined) for (const alert of list) this.markHeld(alert, now);
    return list;
  }

  resolved(): SloAlert[] {
    return this.resolvedAlerts.map((a) => structuredClone(a));
  }

  get(fingerprintValue: string): SloAlert | undefined {
    const alert = this.active.get(fingerprintValue);
    return alert && structuredClone(alert);
  }

  /** What GET /api/alerts serves; also the state to restore a book from after a restart. */
  toJSON(now?: number): AlertsResponse {
    return { firing: this.firing(now), resolved: this.resolved(), silences: this.silences(now) };
  }

  private apply(now: number, evaluation: BurnRateEvaluation, severity: Severity, notifications: Notification[], silencesAt: number): void {
    const print = fingerprint(evaluation.slo, evaluation.scope, severity);
    const fired = evaluation.rules.filter((r) => r.firing && r.rule.severity === severity);
    let alert = this.active.get(print);
    if (fired.length === 0) {
      if (alert) {
        alert.errorBudgetRemaining = evaluation.budget.remaining;
        // The burn that fired it, in the past tense, beside the budget as it is now: the summary kept
        // the last firing evaluation's budget ("−1338.4 % … on the 1 h of data so far") in the alerts
        // table beside this evaluation's 85.2 %, and in the resolution's email.
        alert.summary = summarise(evaluation, alert.rules[0]!, 'held');
        alert.clearingSince ??= now;
        // Held a while: a burn hovering at a threshold is one alert, not a page at each crossing.
        if (now - alert.clearingSince < this.keepFiringForMs) return;
      }
      // An assignment ends with its alert (one waiting for an alert that is not firing, too).
      if (this.assignments.delete(print)) this.endAssignment(print);
      if (!alert) return;
      this.active.delete(print);
      delete alert.clearingSince;
      alert.status = 'resolved';
      alert.endsAt = now;
      alert.updatedAt = now;
      alert.errorBudgetRemaining = evaluation.budget.remaining;
      this.markHeld(alert, silencesAt);
      this.resolvedAlerts.unshift(alert);
      // Whoever was told it fired is told it stopped, even under a silence added since: a page
      // without its resolution leaves people working on a problem that has gone.
      if (alert.notifiedAt !== null) notifications.push({ status: 'resolved', alert: structuredClone(alert), repeat: false, at: now });
      return;
    }
    if (!alert) {
      alert = {
        fingerprint: print,
        slo: evaluation.slo,
        scope: evaluation.scope,
        severity,
        status: 'firing',
        indicator: evaluation.indicator,
        objective: evaluation.objective,
        startsAt: now,
        endsAt: null,
        updatedAt: now,
        rules: [],
        errorBudgetRemaining: 1,
        summary: '',
        silencedBy: null,
        notifiedAt: null,
        assignment: structuredClone(this.assignments.get(print) ?? null),
      };
      this.active.set(print, alert);
    }
    alert.updatedAt = now;
    delete alert.clearingSince;
    alert.objective = evaluation.objective;
    alert.rules = fired.map((r): FiredRule => ({
      burnRate: r.rule.burnRate,
      longWindow: r.rule.longWindow,
      shortWindow: r.rule.shortWindow,
      longBurnRate: r.long.burnRate,
      shortBurnRate: r.short.burnRate,
    }));
    alert.errorBudgetRemaining = evaluation.budget.remaining;
    alert.summary = summarise(evaluation, alert.rules[0]!, 'firing');
  }

  /**
   * Names on the alert what holds its notifications at `now` (`silencedBy`) and whether that is planned
   * work (`silenceKind`): a silence of kind maintenance, or what the holds hold it by (recorded
   * maintenance windows) — a silence first.
   */
  private markHeld(alert: SloAlert, now: number): void {
    let kind: Silence['kind'] | undefined;
    let by: string | null = null;
    for (const silence of this.silenceList.values()) {
      if (!silenceApplies(silence, alert, now)) continue;
      [by, kind] = [silence.id, silence.kind];
      break;
    }
    if (by === null) {
      by = this.holds?.heldBy(alert, now) ?? null;
      if (by !== null) kind = 'maintenance';
    }
    alert.silencedBy = by;
    if (kind) alert.silenceKind = kind;
    else delete alert.silenceKind;
  }

  private prune(now: number): void {
    this.resolvedAlerts = this.resolvedAlerts.filter((a) => now - a.endsAt! < this.retainResolvedMs).slice(0, this.maxResolved);
    for (const [id, silence] of this.silenceList) if (silence.endsAt <= now - this.retainResolvedMs) this.silenceList.delete(id);
    // Waiting all this while for an alert whose SLO and scope are no longer evaluated.
    for (const [print, assignment] of this.assignments) {
      if (!this.active.has(print) && assignment.assignedAt <= now - this.retainResolvedMs) {
        this.assignments.delete(print);
        this.endAssignment(print);
      }
    }
  }

  /** An assignment over: for the caller to forget (takeEndedAssignments), and a change (`changes`). */
  private endAssignment(print: string): void {
    this.ended.push(print);
    this.changeCount++;
  }
}

function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * An alert's summary as of `evaluation`: the burn rates of the rule that fired — as they are while it
 * fires, as they were when it last fired once its rules have stopped (held, then resolved) — and the
 * budget left as of this evaluation, the figure the alert's `errorBudgetRemaining` holds.
 */
function summarise(evaluation: BurnRateEvaluation, rule: FiredRule, state: 'firing' | 'held'): string {
  const budgetDays = Math.round(evaluation.budget.windowMs / 86_400_000);
  const burn = `${burnRateText(rule.longBurnRate)} over ${rule.longWindow} and ${burnRateText(rule.shortBurnRate)} over ${rule.shortWindow} (threshold ${rule.burnRate}×)`;
  return (
    `${evaluation.slo} on ${evaluation.scope}: error budget ${state === 'firing' ? `burning ${burn}` : `burned ${burn} when it last fired`}; ` +
    `${budgetLeftText(evaluation.budget.remaining)} of the ${budgetDays}-day budget left${dataSoFar(evaluation)}`
  );
}

/** ", on the 1 h of data so far" where the data covers under 90 % of the budget's window (a new installation), else "". */
export function dataSoFar(evaluation: Pick<BurnRateEvaluation, 'at' | 'budget'>): string {
  const span = budgetDataSpan(budgetCoverage(evaluation), evaluation.budget.windowMs);
  return span === null ? '' : `, on the ${span} of data so far`;
}
