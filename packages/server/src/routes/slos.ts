// GET /api/slos, GET /api/slos/:slo/budget, GET /api/alerts, POST /api/silences, DELETE /api/silences/:id.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { AlertsResponse, SloAlert, SloSummary } from '@wardwatch/schema';
import { budgetCoverage, formatSloDuration, parseSilence, type Silence } from '@wardwatch/slo';
import type { SloEvaluator } from '../slo-evaluator.ts';
import type { SilenceStore } from '@wardwatch/store';
import { trustScopeOf } from '../auth/trust-scope.ts';
import type { Principal } from '../auth/claims.ts';
import { noteRefusal } from '../auth/refusal.ts';

const DEFAULT_BUDGET_POINTS = 200;
const MAX_BUDGET_POINTS = 1000;
/** Silences as Alertmanager keeps them: bounded in size and number, broad or long ones confirmed. */
const MAX_SILENCE_BYTES = 16 * 1024;
const MAX_SILENCES = 1000;
const LONG_SILENCE_MS = 31 * 86_400_000;

/**
 * `trustOf` names the trust a scope key belongs to (from the status board); a caller sees only the
 * SLO targets, alerts and silences of their trusts, and another trust's is a 404.
 */
export function sloRoutes(evaluator: SloEvaluator, trustOf: (scope: string) => string | undefined = () => undefined, kept?: SilenceStore): Hono {
  const app = new Hono();

  app.get('/slos', (c) => {
    const trusts = trustScopeOf(c);
    // The alerts firing on each target, held ones included (pages first), silenced as of now: one
    // truth with GET /api/alerts.
    const alerting = new Map<string, SloAlert>();
    for (const alert of evaluator.book.firing(evaluator.now())) {
      const key = `${alert.slo}\u0000${alert.scope}`;
      if (!alerting.has(key)) alerting.set(key, alert);
    }
    return c.json(
      evaluator.evaluations().filter((e) => trusts.sees(trustOf(e.scope))).map((e) => {
        const alert = alerting.get(`${e.slo}\u0000${e.scope}`);
        return {
          slo: e.slo,
          scope: e.scope,
          indicator: e.indicator,
          objective: e.objective,
          window: formatSloDuration(e.budget.windowMs),
          windowMs: e.budget.windowMs,
          sli: e.budget.valid > 0 ? e.budget.good / e.budget.valid : null,
          validEvents: e.budget.valid,
          errorBudgetRemaining: e.budget.remaining,
          budgetCoverage: budgetCoverage(e),
          burnRates: Object.fromEntries(e.windows.map((w) => [w.window, w.burnRate])),
          firing: e.firing.map((r) => ({ severity: r.severity, burnRate: r.burnRate, longWindow: r.longWindow, shortWindow: r.shortWindow })),
          severity: alert?.severity ?? e.severity,
          ...(alert?.clearingSince !== undefined ? { clearingSince: alert.clearingSince } : {}),
          ...(alert?.silenceKind !== undefined ? { silenceKind: alert.silenceKind } : {}),
          at: e.at,
        } satisfies SloSummary;
      }),
    );
  });

  // An SLO's error-budget burn-down on one of its target scopes (see docs/api.md).
  app.get('/slos/:slo/budget', async (c) => {
    const name = c.req.param('slo');
    const slo = evaluator.definitions().find((s) => s.name === name);
    if (!slo) {
      const names = evaluator.definitions().map((s) => s.name);
      return c.json({ error: `no SLO named "${name}"; the SLOs are ${names.join(', ')}` }, 404);
    }
    const trusts = trustScopeOf(c);
    const scopes = evaluator.scopesOf(slo).filter((s) => trusts.sees(trustOf(s)));
    if (scopes.length === 0) return c.json({ error: `SLO "${name}" has no target scopes yet: no data has been counted for it` }, 404);
    let scope = c.req.query('scope');
    if (scope === undefined || scope === '') {
      if (scopes.length > 1) return c.json({ error: `SLO "${name}" has ${scopes.length} target scopes: name one with ?scope= (one of ${scopes.join(', ')})` }, 400);
      scope = scopes[0]!;
    } else if (!scopes.includes(scope)) {
      return c.json({ error: `SLO "${name}" has no scope "${scope}"; its scopes are ${scopes.join(', ')}` }, 404);
    }
    const pointsParam = c.req.query('points');
    let points = DEFAULT_BUDGET_POINTS;
    if (pointsParam !== undefined) {
      points = Number(pointsParam);
      if (!/^\d+$/.test(pointsParam) || points < 2 || points > MAX_BUDGET_POINTS) {
        return c.json({ error: `points must be a whole number from 2 to ${MAX_BUDGET_POINTS}; got "${pointsParam}"` }, 400);
      }
    }
    return c.json(await evaluator.budgetHistory(slo, scope, points));
  });

  app.get('/alerts', (c) => {
    const trusts = trustScopeOf(c);
    // Silenced as of now, not as of the last evaluation: a silence added or removed shows at once.
    // Beside the silences, the recorded maintenance windows open now, which hold alerts too.
    const now = evaluator.now();
    const all: AlertsResponse = { ...evaluator.book.toJSON(now), maintenance: evaluator.holds?.windows(now) ?? [] };
    if (trusts.all) return c.json(all);
    const sees = (scope: string | undefined) => scope !== undefined && trusts.sees(trustOf(scope));
    return c.json({
      firing: all.firing.filter((a) => sees(a.scope)),
      resolved: all.resolved.filter((a) => sees(a.scope)),
      silences: all.silences.filter((s) => sees(s.matchers.scope)),
      maintenance: all.maintenance!.filter((w) => trusts.sees(w.trust)),
    });
  });

  app.post('/silences', async (c) => {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_SILENCE_BYTES) return c.json({ error: `a silence is at most ${MAX_SILENCE_BYTES / 1024} kB; shorten the comment` }, 413);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ error: 'the body must be a JSON silence: {matchers: {slo?, scope?, severity?}, startsAt, endsAt, comment?, confirm?}' }, 400);
    }
    // The server names every silence (the handle for DELETE), so a post can never overwrite one.
    if (isRecord(body) && body.id !== undefined) return c.json({ error: 'id: is set by the server; leave it out (the answer carries it)' }, 400);
    const { confirm, ...fields } = isRecord(body) ? body : { body };
    let silence: Silence;
    try {
      silence = parseSilence(isRecord(body) ? { ...fields, id: randomUUID() } : body);
    } catch (error) {
      return c.json({ error: describeSilenceError(error) }, 400);
    }
    const m = silence.matchers;
    const matchesEverything = m.slo === undefined && m.severity === undefined && (m.scope === undefined || m.scope === '*');
    const long = silence.endsAt - silence.startsAt > LONG_SILENCE_MS;
    if ((matchesEverything || long) && confirm !== true) {
      const what = matchesEverything ? 'matches every alert' : `lasts more than ${LONG_SILENCE_MS / 86_400_000} days`;
      return c.json({ error: `confirm: this silence ${what}; send "confirm": true with it if that is meant` }, 400);
    }
    const active = evaluator.book.toJSON(evaluator.now()).silences;
    if (active.length >= MAX_SILENCES) return c.json({ error: `there are ${active.length} silences already, the most kept; delete some first` }, 409);
    // A caller limited to some trusts silences one scope of theirs; a silence without a scope, or a
    // pattern, would mute other trusts' alerts too.
    const trusts = trustScopeOf(c);
    if (!trusts.all) {
      const scope = m.scope;
      if (scope === undefined || scope.endsWith('*')) return c.json({ error: 'matchers.scope: name one scope of your trusts (a silence without a scope, or a pattern, is for users granted every trust)' }, 403);
      if (!trusts.sees(trustOf(scope))) {
        const owner = trustOf(scope);
        noteRefusal(c, owner ? `scope ${scope} is of trust ${owner}, not one of theirs` : `no scope ${scope} is known to be of their trusts`);
        return c.json({ error: `no scope "${scope}"` }, 404);
      }
    }
    // Who made it is the signed-in user, not what the body claims.
    const principal = c.get('principal') as Principal | undefined;
    if (principal && principal.sub !== 'local') silence = { ...silence, createdBy: principal.name };
    await kept?.putSilence(silence); // stored first: a store that fails changes nothing
    evaluator.book.addSilence(silence, evaluator.now());
    return c.json(silence, 201);
  });

  app.delete('/silences/:id', async (c) => {
    const id = c.req.param('id');
    const trusts = trustScopeOf(c);
    if (!trusts.all) {
      const silence = evaluator.book.toJSON(evaluator.now()).silences.find((s) => s.id === id);
      if (silence && !trusts.sees(trustOf(silence.matchers.scope ?? ''))) {
        const scope = silence.matchers.scope;
        const owner = scope ? trustOf(scope) : undefined;
        noteRefusal(c, scope ? `silence ${id} is on ${scope}${owner ? ` of trust ${owner}` : ''}, not one of their trusts` : `silence ${id} names no scope (every trust's): for users of every trust`);
      }
      if (!silence || !trusts.sees(trustOf(silence.matchers.scope ?? ''))) return c.json({ error: `no silence with id "${id}"` }, 404);
    }
    await kept?.deleteSilence(id);
    return evaluator.book.removeSilence(id, evaluator.now()) ? c.body(null, 204) : c.json({ error: `no silence with id "${id}"` }, 404);
  });

  return app;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "field: problem; field: problem" from a validation error, instead of the raw issue list. */
function describeSilenceError(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: readonly PropertyKey[]; message: string }> }).issues;
  if (!Array.isArray(issues)) return (error as Error).message;
  const problems = issues.map((issue) => `${issue.path.map(String).join('.') || 'the silence'}: ${issue.message}`);
  return `invalid silence: ${problems.join('; ')}`;
}
