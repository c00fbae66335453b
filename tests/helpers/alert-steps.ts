// Steps an SLO evaluator through a span on a clock the test sets (no timer, no accelerated wall
// clock), keeping every alert GET /api/alerts showed on the way: the alerts "fired in that period" as
// the API told them, to compare with what the evidence pack lists.
import type { SloEvaluator } from '@wardwatch/server';

/** How far behind the clock the evaluator's last settled minute is (the processor's defaults). */
export const SETTLE_MS = 150_000;

export interface SeenAlert {
  fingerprint: string;
  scope: string;
  slo: string;
  severity: string;
  startsAt: number;
  endsAt: number | null;
}

export interface AlertSteps {
  /** Every alert seen, by fingerprint and start, as last seen. */
  seen: Map<string, SeenAlert>;
  /** Evaluates at each `stepMs` after `from` up to `to` (the clock standing SETTLE_MS past each). */
  run(slos: SloEvaluator, from: number, to: number, stepMs: number): Promise<void>;
}

export function alertSteps(request: (path: string) => Promise<Response>, setClock: (ms: number) => void): AlertSteps {
  const seen = new Map<string, SeenAlert>();
  return {
    seen,
    async run(slos, from, to, stepMs) {
      for (let t = from + stepMs; t <= to; t += stepMs) {
        setClock(t + SETTLE_MS);
        await slos.evaluateAfterPending();
        const res = await request('/api/alerts');
        if (res.status !== 200) throw new Error(`/api/alerts answered ${res.status}`);
        const alerts = (await res.json()) as { firing: SeenAlert[]; resolved: SeenAlert[] };
        for (const a of [...alerts.firing, ...alerts.resolved]) {
          seen.set(`${a.fingerprint}|${a.startsAt}`, { fingerprint: a.fingerprint, scope: a.scope, slo: a.slo, severity: a.severity, startsAt: a.startsAt, endsAt: a.endsAt });
        }
      }
    },
  };
}
