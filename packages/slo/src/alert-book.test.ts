import { describe, expect, it } from 'vitest';
import { fingerprint } from './alert.ts';
import { KEEP_FIRING_FOR_MS } from '@wardwatch/schema';
import { AlertBook } from './alert-book.ts';
import type { SloDefinition } from './definition.ts';
import { evaluateBurnRates, type BurnRateEvaluation } from './evaluate.ts';
import { formatSloDuration } from './duration.ts';
import { parseSilence, type Silence } from './silence.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const SLO: SloDefinition = {
  name: 'site-app-availability',
  description: '',
  scope: { kind: 'site', selector: '*' },
  indicator: { kind: 'availability' },
  objective: 0.999,
  timeWindow: { duration: '28d', isRolling: true },
  budgetingMethod: 'Occurrences',
};

const PAGE = { '5m': 0.02, '1h': 0.02 };
const PAGE_AND_TICKET = { '5m': 0.02, '30m': 0.02, '1h': 0.02, '2h': 0.02, '6h': 0.02, '1d': 0.02, '3d': 0.02 };

function evaluation(scope: string, at: number, ratios: Record<string, number>): BurnRateEvaluation {
  return evaluateBurnRates(SLO, scope, (from, to) => ({ valid: 1000, good: Math.round(1000 * (1 - (ratios[formatSloDuration(to - from)] ?? 0))) }), at);
}

const silence = (over: Partial<Silence>): Silence => ({ id: 's1', kind: 'silence', matchers: {}, startsAt: T0, endsAt: T0 + HOUR, comment: '', createdBy: 'ops', ...over });

describe('fingerprint', () => {
  it('is stable and differs by SLO, scope and severity', () => {
    const a = fingerprint('x', 'site:S1', 'page');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('x', 'site:S1', 'page')).toBe(a);
    expect(new Set([a, fingerprint('y', 'site:S1', 'page'), fingerprint('x', 'site:S2', 'page'), fingerprint('x', 'site:S1', 'ticket')]).size).toBe(4);
  });
});

describe('AlertBook', () => {
  it('fires once, stays deduplicated, repeats after the interval, then resolves', () => {
    const book = new AlertBook();
    const first = book.update(T0, [evaluation('site:S1', T0, PAGE)]);
    expect(first.map((n) => [n.status, n.alert.scope, n.alert.severity, n.repeat])).toEqual([['firing', 'site:S1', 'page', false]]);
    expect(first[0]!.alert.summary).toBe(
      'site-app-availability on site:S1: error budget burning 20.0× over 1h and 20.0× over 5m (threshold 14.4×); 100.0 % of the 28-day budget left',
    );

    expect(book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, PAGE)])).toEqual([]);
    const firing = book.firing();
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ startsAt: T0, updatedAt: T0 + MIN, status: 'firing', endsAt: null, notifiedAt: T0, fingerprint: fingerprint(SLO.name, 'site:S1', 'page') });

    const repeated = book.update(T0 + 4 * HOUR, [evaluation('site:S1', T0 + 4 * HOUR, PAGE)]);
    expect(repeated.map((n) => [n.status, n.repeat])).toEqual([['firing', true]]);

    // The burn stops: held firing for KEEP_FIRING_FOR_MS, then resolved.
    expect(book.update(T0 + 5 * HOUR, [evaluation('site:S1', T0 + 5 * HOUR, {})])).toEqual([]);
    expect(book.firing()[0]).toMatchObject({ status: 'firing', clearingSince: T0 + 5 * HOUR, endsAt: null });
    expect(book.update(T0 + 5 * HOUR + 9 * MIN, [evaluation('site:S1', T0 + 5 * HOUR + 9 * MIN, {})])).toEqual([]);
    const at = T0 + 5 * HOUR + KEEP_FIRING_FOR_MS;
    const resolved = book.update(at, [evaluation('site:S1', at, {})]);
    expect(resolved.map((n) => [n.status, n.alert.endsAt])).toEqual([['resolved', at]]);
    expect(book.firing()).toEqual([]);
    expect(book.resolved().map((a) => [a.status, a.startsAt, a.endsAt, a.clearingSince])).toEqual([['resolved', T0, at, undefined]]);
  });

  it('says, once its rules stop, the burn that fired it in the past tense and the budget as it is now, held and resolved', () => {
    // The 28-day window's counts give the budget left asked for (10,000 checks, 10 failures allowed).
    const withBudget = (at: number, ratios: Record<string, number>, left: number) =>
      evaluateBurnRates(SLO, 'site:S1', (from, to) => (to - from === 28 * 24 * HOUR ? { valid: 10_000, good: 10_000 - Math.round(10 * (1 - left)) } : { valid: 1000, good: Math.round(1000 * (1 - (ratios[formatSloDuration(to - from)] ?? 0))) }), at);
    const book = new AlertBook();
    book.update(T0, [withBudget(T0, PAGE, 0.5)]);
    expect(book.firing()[0]!.summary).toBe(
      'site-app-availability on site:S1: error budget burning 20.0× over 1h and 20.0× over 5m (threshold 14.4×); 50.0 % of the 28-day budget left',
    );
    // The burn stops and the budget reads 80 % left (a history written since, say): held, and said so.
    book.update(T0 + MIN, [withBudget(T0 + MIN, {}, 0.8)]);
    const held = book.firing()[0]!;
    expect(held.clearingSince).toBe(T0 + MIN);
    expect(held.errorBudgetRemaining).toBeCloseTo(0.8, 10);
    expect(held.summary).toBe(
      'site-app-availability on site:S1: error budget burned 20.0× over 1h and 20.0× over 5m (threshold 14.4×) when it last fired; 80.0 % of the 28-day budget left',
    );
    const at = T0 + MIN + KEEP_FIRING_FOR_MS;
    const [resolution] = book.update(at, [withBudget(at, {}, 0.9)]);
    expect(resolution!.status).toBe('resolved');
    expect(resolution!.alert.errorBudgetRemaining).toBeCloseTo(0.9, 10);
    expect(resolution!.alert.summary).toMatch(/burned 20\.0× over 1h and 20\.0× over 5m \(threshold 14\.4×\) when it last fired; 90\.0 % of the 28-day budget left$/);
  });

  it('holds an alert whose burn hovers at its threshold: one page, no resolution between crossings', () => {
    const book = new AlertBook();
    // The fast page's rate crossed and uncrossed every three minutes for an hour, then stopped.
    const sent = [];
    for (let m = 0; m < 60; m++) sent.push(...book.update(T0 + m * MIN, [evaluation('site:S1', T0 + m * MIN, Math.floor(m / 3) % 2 === 0 ? PAGE : {})]));
    expect(sent.map((n) => n.status)).toEqual(['firing']);
    expect(book.firing()).toHaveLength(1);
    expect(book.firing()[0]!.startsAt).toBe(T0);
    // The last crossing was at minute 54–56: resolved ten minutes after the rules stopped (minute 57).
    for (let m = 60; m < 80; m++) sent.push(...book.update(T0 + m * MIN, [evaluation('site:S1', T0 + m * MIN, {})]));
    expect(sent.map((n) => [n.status, n.at])).toEqual([['firing', T0], ['resolved', T0 + 67 * MIN]]);
    // With no hold, the same hour is ten pages and ten resolutions.
    const eager = new AlertBook({ keepFiringForMs: 0 });
    const noisy = [];
    for (let m = 0; m < 60; m++) noisy.push(...eager.update(T0 + m * MIN, [evaluation('site:S1', T0 + m * MIN, Math.floor(m / 3) % 2 === 0 ? PAGE : {})]));
    expect(noisy.filter((n) => n.status === 'firing')).toHaveLength(10);
  });

  it('pages nobody for a held alert: not when a silence ends during the hold, nor at the repeat interval', () => {
    const book = new AlertBook();
    book.addSilence(silence({ id: 'maint', kind: 'maintenance', matchers: { scope: 'site:S1' }, startsAt: T0, endsAt: T0 + 60 * MIN }));
    const sent = [];
    for (let m = 0; m < 55; m++) sent.push(...book.update(T0 + m * MIN, [evaluation('site:S1', T0 + m * MIN, PAGE)]));
    // The burn stops at minute 55; the maintenance window ends at 60, inside the hold.
    for (let m = 55; m < 70; m++) sent.push(...book.update(T0 + m * MIN, [evaluation('site:S1', T0 + m * MIN, {})]));
    expect(sent).toEqual([]);
    expect(book.resolved()[0]).toMatchObject({ endsAt: T0 + 65 * MIN, notifiedAt: null });

    // Notified while burning, then held across the 4-hour repeat: no repeat, then the resolution.
    const repeatBook = new AlertBook();
    expect(repeatBook.update(T0, [evaluation('site:S1', T0, PAGE)]).map((n) => n.status)).toEqual(['firing']);
    const held = T0 + 4 * HOUR - 5 * MIN;
    expect(repeatBook.update(held, [evaluation('site:S1', held, {})])).toEqual([]);
    expect(repeatBook.update(T0 + 4 * HOUR, [evaluation('site:S1', T0 + 4 * HOUR, {})])).toEqual([]);
    expect(repeatBook.update(held + KEEP_FIRING_FOR_MS, [evaluation('site:S1', held + KEEP_FIRING_FOR_MS, {})]).map((n) => [n.status, n.repeat])).toEqual([['resolved', false]]);
  });

  it('keeps page and ticket apart, page first, and leaves scopes not evaluated untouched', () => {
    const book = new AlertBook({ keepFiringForMs: 0 }); // resolved at once: the hold is tested above
    const sent = book.update(T0, [evaluation('site:S1', T0, PAGE_AND_TICKET), evaluation('site:S2', T0, PAGE)]);
    expect(sent.map((n) => `${n.alert.scope} ${n.alert.severity}`).sort()).toEqual(['site:S1 page', 'site:S1 ticket', 'site:S2 page']);
    expect(book.firing()[0]!.severity).toBe('page');
    expect(book.firing().find((a) => a.scope === 'site:S1' && a.severity === 'ticket')!.rules.map((r) => r.burnRate)).toEqual([3, 1]);
    expect(book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, {})]).map((n) => n.alert.scope)).toEqual(['site:S1', 'site:S1']);
    expect(book.firing().map((a) => a.scope)).toEqual(['site:S2']);
  });

  it('records alerts under a silence without notifying, and notifies when the silence ends', () => {
    const book = new AlertBook();
    book.addSilence(silence({ id: 'maint-1', kind: 'maintenance', matchers: { scope: 'site:*' } }));
    expect(book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, PAGE)])).toEqual([]);
    expect(book.firing()[0]).toMatchObject({ scope: 'site:S1', silencedBy: 'maint-1', silenceKind: 'maintenance', notifiedAt: null });

    const after = book.update(T0 + HOUR, [evaluation('site:S1', T0 + HOUR, PAGE)]);
    expect(after.map((n) => [n.status, n.alert.silencedBy, n.alert.silenceKind])).toEqual([['firing', null, undefined]]);
  });

  it('holds notifications by what AlertHolds says too (recorded maintenance), after its own silences', () => {
    const book = new AlertBook();
    // Held at S1 until T0 + 30 min, as the server's recorded maintenance windows would say.
    const held = new Set(['site:S1']);
    book.holdWith({ heldBy: (alert, now) => (held.has(alert.scope) && now < T0 + 30 * MIN ? 'window-1' : null) });
    const first = book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, PAGE), evaluation('site:S2', T0 + MIN, PAGE)]);
    expect(first.map((n) => n.alert.scope)).toEqual(['site:S2']);
    // Held by planned work: the kind says so, told apart from someone's silence.
    expect(book.firing(T0 + MIN).map((a) => [a.scope, a.silencedBy, a.silenceKind])).toEqual([
      ['site:S1', 'window-1', 'maintenance'],
      ['site:S2', null, undefined],
    ]);
    // A silence of the book's own matching it too is named first, with its kind.
    book.addSilence(silence({ id: 'ack', matchers: { scope: 'site:S1' } }), T0 + 2 * MIN);
    expect(book.firing(T0 + 2 * MIN)[0]).toMatchObject({ silencedBy: 'ack', silenceKind: 'silence' });
    book.removeSilence('ack', T0 + 2 * MIN);
    // The window over, the page goes out at the next evaluation; lifted early, the alerts say so at once.
    expect(book.update(T0 + 31 * MIN, [evaluation('site:S1', T0 + 31 * MIN, PAGE)]).map((n) => [n.status, n.alert.scope])).toEqual([['firing', 'site:S1']]);
    held.clear();
    book.holdWith(undefined, T0 + 3 * MIN);
    expect(book.firing(T0 + 3 * MIN).map((a) => a.silencedBy)).toEqual([null, null]);
  });

  it('sends no resolution for an alert that was never notified', () => {
    const book = new AlertBook({ keepFiringForMs: 0 });
    book.addSilence(silence({ matchers: { slo: SLO.name, severity: 'page' } }));
    book.update(T0, [evaluation('site:S1', T0, PAGE)]);
    expect(book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, {})])).toEqual([]);
    expect(book.resolved()[0]).toMatchObject({ silencedBy: 's1', notifiedAt: null, status: 'resolved' });
  });

  it.each([
    ['another scope', { scope: 'site:S2' }, 1],
    ['another severity', { severity: 'ticket' as const }, 1],
    ['another SLO', { slo: 'site-logon-latency' }, 1],
    ['the exact scope', { scope: 'site:S1' }, 0],
    ['everything', {}, 0],
  ])('a silence matching %s leaves %d notifications', (_case, matchers, expected) => {
    const book = new AlertBook();
    book.addSilence(silence({ matchers }));
    expect(book.update(T0, [evaluation('site:S1', T0, PAGE)])).toHaveLength(expected);
  });

  it('marks a firing alert silenced the moment a silence is added, and firing again when it is removed (given the time)', () => {
    const book = new AlertBook();
    book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, PAGE)]);
    expect(book.firing()[0]!.silencedBy).toBeNull();
    book.addSilence(silence({ id: 'ack', matchers: { scope: 'site:S1' } }), T0 + 2 * MIN);
    expect(book.firing()[0]!.silencedBy).toBe('ack');
    expect(book.removeSilence('ack', T0 + 3 * MIN)).toBe(true);
    expect(book.firing()[0]!.silencedBy).toBeNull();
  });

  it('judges silences by the clock it is given, not the evaluation\u2019s settled minute that trails it', () => {
    // Evaluations run as of a minute 2.5 minutes behind the clock; the silence is set by the clock.
    const LAG = 150_000;
    const book = new AlertBook();
    book.addSilence(silence({ startsAt: T0, endsAt: T0 + 8 * MIN }));
    // Just after the silence starts by the clock, though the evaluation's minute is before it: held.
    expect(book.update(T0 + MIN - LAG, [evaluation('site:S1', T0 + MIN - LAG, PAGE)], T0 + MIN)).toEqual([]);
    expect(book.firing()[0]!.silencedBy).toBe('s1');
    // Just after it ends by the clock, though the evaluation's minute is inside it: notified.
    const after = book.update(T0 + 8 * MIN + 1000 - LAG, [evaluation('site:S1', T0 + 8 * MIN + 1000 - LAG, PAGE)], T0 + 8 * MIN + 1000);
    expect(after.map((n) => [n.status, n.alert.silencedBy])).toEqual([['firing', null]]);
  });

  it('ignores a silence outside its time range', () => {
    const book = new AlertBook();
    book.addSilence(silence({ startsAt: T0 + MIN }));
    expect(book.update(T0, [evaluation('site:S1', T0, PAGE)])).toHaveLength(1);
    expect(book.removeSilence('s1')).toBe(true);
    expect(book.silences()).toEqual([]);
  });

  it('forgets resolved alerts after the retention and restores from its JSON', () => {
    const book = new AlertBook({ retainResolvedMs: HOUR, repeatIntervalMs: null, keepFiringForMs: 0 });
    book.update(T0, [evaluation('site:S1', T0, PAGE), evaluation('site:S2', T0, PAGE)]);
    book.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, {})]);
    book.addSilence(silence({ id: 'later', startsAt: T0 + 2 * HOUR, endsAt: T0 + 3 * HOUR }));
    const restored = new AlertBook({ retainResolvedMs: HOUR, repeatIntervalMs: null }, JSON.parse(JSON.stringify(book.toJSON(T0 + MIN))));
    expect(restored.toJSON()).toEqual(book.toJSON());
    expect(restored.update(T0 + 10 * HOUR, [evaluation('site:S2', T0 + 10 * HOUR, PAGE)])).toEqual([]);
    expect(restored.resolved()).toEqual([]);
    expect(restored.firing().map((a) => a.startsAt)).toEqual([T0]);
  });
});

describe('parseSilence', () => {
  it('applies defaults and rejects an end before the start', () => {
    expect(parseSilence({ id: 'a', startsAt: T0, endsAt: T0 + 1 })).toEqual({ id: 'a', kind: 'silence', matchers: {}, startsAt: T0, endsAt: T0 + 1, comment: '', createdBy: '' });
    expect(() => parseSilence({ id: 'a', startsAt: T0, endsAt: T0 })).toThrow(/endsAt[\s\S]*must be after startsAt/);
    expect(() => parseSilence({ id: 'a', startsAt: T0, endsAt: T0 + 1, matchers: { severity: 'urgent' } })).toThrow(/must be one of page, ticket/);
  });
});

describe('AlertBook assignments', () => {
  const print = fingerprint(SLO.name, 'site:S1', 'page');
  const given = { assignee: 'Network team', note: 'check the WAN link', assignedBy: 'a.operator', assignedAt: T0 + MIN };

  it('shows who has a firing alert, replaces and removes them, and keeps the last one on the resolved alert', () => {
    const book = new AlertBook();
    book.update(T0, [evaluation('site:S1', T0, PAGE)]);
    expect(book.firing()[0]!.assignment).toBeNull();
    book.assign(print, given);
    expect(book.firing()[0]!.assignment).toEqual(given);
    expect(book.toJSON().firing[0]!.assignment).toEqual(given);
    // Notifications carry it too.
    expect(book.update(T0 + 4 * HOUR, [evaluation('site:S1', T0 + 4 * HOUR, PAGE)])[0]!.alert.assignment).toEqual(given);
    const other = { ...given, assignee: 'J. Smith', assignedAt: T0 + 2 * MIN };
    book.assign(print, other);
    expect(book.get(print)!.assignment).toEqual(other);
    expect(book.unassign(print)).toBe(true);
    expect(book.unassign(print)).toBe(false);
    expect(book.get(print)!.assignment).toBeNull();
    book.assign(print, other);
    expect(book.takeEndedAssignments()).toEqual([]);
    // Held while the alert is held after its rules stop; it goes with the alert when that resolves.
    book.update(T0 + 5 * HOUR, [evaluation('site:S1', T0 + 5 * HOUR, {})]);
    expect(book.get(print)!.assignment).toEqual(other);
    expect(book.takeEndedAssignments()).toEqual([]);
    book.update(T0 + 5 * HOUR + KEEP_FIRING_FOR_MS, [evaluation('site:S1', T0 + 5 * HOUR + KEEP_FIRING_FOR_MS, {})]);
    expect(book.resolved()[0]!.assignment).toEqual(other);
    expect(book.takeEndedAssignments()).toEqual([print]);
    expect(book.takeEndedAssignments()).toEqual([]);
    // A new firing of the same SLO, scope and severity is a new incident: nobody has it yet.
    book.update(T0 + 6 * HOUR, [evaluation('site:S1', T0 + 6 * HOUR, PAGE)]);
    expect(book.get(print)!.assignment).toBeNull();
  });

  it('holds one given before its alert fires (restored after a restart) until the next evaluation of its SLO and scope', () => {
    const book = new AlertBook();
    book.assign(print, given);
    book.update(T0, [evaluation('site:S1', T0, PAGE)]);
    expect(book.get(print)!.assignment).toEqual(given);

    const waiting = new AlertBook();
    waiting.assign(print, given);
    waiting.update(T0, [evaluation('site:S2', T0, PAGE)]); // another scope: still waiting
    expect(waiting.takeEndedAssignments()).toEqual([]);
    waiting.update(T0 + MIN, [evaluation('site:S1', T0 + MIN, {})]); // its alert is not firing: it ends
    expect(waiting.takeEndedAssignments()).toEqual([print]);
    waiting.update(T0 + 2 * MIN, [evaluation('site:S1', T0 + 2 * MIN, PAGE)]);
    expect(waiting.get(print)!.assignment).toBeNull();
  });

  it('lets one waiting for an alert that is never evaluated again go after a day', () => {
    const book = new AlertBook();
    book.assign(print, given);
    book.update(T0 + 2 * HOUR, []);
    expect(book.takeEndedAssignments()).toEqual([]);
    book.update(given.assignedAt + 24 * HOUR, []);
    expect(book.takeEndedAssignments()).toEqual([print]);
  });
});

describe('AlertBook.replaceShared (the silences and assignments every server on a store shares)', () => {
  const assignment = { assignee: 'Network team', note: '', assignedBy: 'ops', assignedAt: T0 };
  it.each([
    ['nothing', [], [], [], [], false],
    ['the same silence and assignment', [silence({ id: 'a' })], [['p1', assignment]], [silence({ id: 'a' })], [['p1', assignment]], false],
    ['a silence added', [], [], [silence({ id: 'a' })], [], true],
    ['a silence lifted', [silence({ id: 'a' })], [], [], [], true],
    ['a silence changed (ended early)', [silence({ id: 'a' })], [], [silence({ id: 'a', endsAt: T0 + MIN })], [], true],
    ['an assignment given', [], [], [], [['p1', assignment]], true],
    ['an assignment taken back', [], [['p1', assignment]], [], [], true],
    ['an assignment handed on', [], [['p1', assignment]], [], [['p1', { ...assignment, assignee: 'Desktop team' }]], true],
  ] as const)('%s: changed %#', (_what, hadSilences, hadAssignments, silences, assignments, changed) => {
    const book = new AlertBook();
    for (const s of hadSilences) book.addSilence(s);
    for (const [print, a] of hadAssignments) book.assign(print, a);
    const before = book.changes;
    expect(book.replaceShared(silences, new Map(assignments), T0)).toBe(changed);
    expect(book.changes > before).toBe(changed);
    expect(book.silences()).toEqual(silences);
    // Assigned now: exactly the prints given (unassign says whether one was).
    const prints = new Set([...hadAssignments, ...assignments].map(([print]) => print));
    const given = new Set(assignments.map(([print]) => print));
    for (const print of prints) expect(book.unassign(print)).toBe(given.has(print));
  });

  it('an assignment ended with its alert counts as a change: a read of the store begun before it is not applied', () => {
    const book = new AlertBook({ keepFiringForMs: 0 });
    book.update(T0, [evaluateBurnRates(SLO, 'site:S1', () => ({ valid: 100, good: 0 }), T0)]);
    const print = book.firing(T0)[0]!.fingerprint;
    book.assign(print, assignment);
    const before = book.changes;
    book.update(T0 + MIN, [evaluateBurnRates(SLO, 'site:S1', () => ({ valid: 100, good: 100 }), T0 + MIN)]);
    expect(book.takeEndedAssignments()).toEqual([print]);
    expect(book.changes).toBeGreaterThan(before);
  });

  it('a silence that arrives holds the firing alert at once', () => {
    const book = new AlertBook({ keepFiringForMs: 0 });
    book.update(T0, [evaluateBurnRates(SLO, 'site:S1', () => ({ valid: 100, good: 0 }), T0)]);
    expect(book.firing(T0)[0]!.silencedBy).toBeNull();
    book.replaceShared([silence({ id: 'swap', matchers: { scope: 'site:S1' } })], new Map(), T0);
    expect(book.firing(T0)[0]!.silencedBy).toBe('swap');
  });
});
