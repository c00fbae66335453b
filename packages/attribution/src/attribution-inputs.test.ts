// attributionInputChanged against attribute() itself: over estates with each kind of culprit, a status
// replaced by one that differs in any field, to any value — whenever the function says the change is not
// one attribution reads, attribute() gives exactly the same causes with it as without it. The changes
// are drawn from a seeded generator: the same thousands every run.
import { describe, expect, it } from 'vitest';
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';
import { attribute } from './attribute.ts';
import { attributionInputChange, attributionInputChanged } from './attribution-inputs.ts';
import { estate, failingHalf, slow, type Bend } from './estate.fixture.ts';

const BENDS: Bend[] = [
  () => undefined,
  (s) => ((s.scope === 'device' && s.ap === '3c:a8:2a:02:01:01') || s.key === 'ap:3c:a8:2a:02:01:01' ? { ...slow, wifiSignalDbm: -82 } : undefined),
  (s) => (s.key === 'device:S3-W2-D4' ? { ...slow, cpuPct: 97 } : undefined),
  (s) => (s.app === 'pacs' ? { availability: 0 } : s.scope === 'app' ? undefined : failingHalf),
  (s) => (s.site === 'S1' ? { ...slow, ...(s.scope === 'site' ? { dnsP95Ms: 3000, gatewayRttP95Ms: 90 } : {}) } : s.scope === 'site' ? { dnsP95Ms: 10, gatewayRttP95Ms: 5 } : undefined),
];

const FIGURES: Array<keyof ScopeFigures> = ['appChecks', 'p50Ms', 'p95Ms', 'p99Ms', 'availability', 'logons', 'logonP95Ms', 'wifiSignalDbm', 'cpuPct', 'dnsP95Ms', 'gatewayRttP95Ms'];
const FIGURE_VALUES = [null, 0, 0.5, 0.97, 1, 10, 60, 700, 2_500, 4_000, 90_000, -82, 97];
const FIELDS = ['status', 'reason', 'since', 'asOf', 'ward', 'ap', ...FIGURES, ...FIGURES, ...FIGURES];
const STATES: Array<ScopeStatus['status']> = ['ok', 'degraded', 'down', 'unknown'];

/** A seeded PRNG (mulberry32): integers below `n`. */
function draws(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** `status` changed in one place, drawn: its state, reason or times, where it sits, or one figure. */
function changed(status: ScopeStatus, field: string, draw: (n: number) => number): ScopeStatus {
  switch (field) {
    case 'status':
      return { ...status, status: STATES[draw(STATES.length)]! };
    case 'reason':
      return { ...status, reason: `${status.reason} (moved)` };
    case 'since':
    case 'asOf':
      return { ...status, [field]: status[field] + 1000 };
    case 'ward':
      return { ...status, ward: status.ward === 'W1' ? 'W2' : 'W1' };
    case 'ap':
      return { ...status, ap: status.ap === '3c:a8:2a:02:01:01' ? '3c:a8:2a:02:01:02' : '3c:a8:2a:02:01:01' };
    default:
      return { ...status, figures: { ...status.figures, [field]: FIGURE_VALUES[draw(FIGURE_VALUES.length)] } };
  }
}

describe('attributionInputChanged', () => {
  it('is false only for changes after which attribute() gives the same causes, and a site-network change only rewords a site’s cause', () => {
    let unread = 0;
    let moved = 0;
    let siteNetwork = 0;
    let reworded = 0;
    const draw = draws(20261201);
    for (let run = 0; run < 300; run++) {
      const statuses = estate(BENDS[run % BENDS.length]);
      let causes = attribute(statuses);
      for (let step = 0; step < 8; step++) {
        // Half the changes where verdicts are made: a degraded scope, an access point or a site.
        const near = statuses.flatMap((s, k) => (s.status !== 'ok' || s.scope === 'ap' || s.scope === 'site' ? [k] : []));
        const i = draw(2) === 0 && near.length > 0 ? near[draw(near.length)]! : draw(statuses.length);
        const field = FIELDS[draw(FIELDS.length)]!;
        const before = statuses[i]!;
        const after = changed(before, field, draw);
        statuses[i] = after;
        const next = attribute(statuses);
        const change = attributionInputChange(before, after);
        if (change === undefined) {
          unread++;
          expect(next, `${before.key}: ${field}`).toEqual(causes);
        } else if (change === 'site-network') {
          // Who is blamed for what stands; only a site's cause may be worded differently.
          siteNetwork++;
          const blamed = (verdicts: typeof causes) => [...verdicts].map(([key, cause]) => [key, cause.culprit, cause.kind]);
          expect(blamed(next), `${before.key}: ${field}`).toEqual(blamed(causes));
          for (const [key, cause] of next) if (!cause.culprit.startsWith('site:')) expect(cause, key).toEqual(causes.get(key));
          if (JSON.stringify([...next]) !== JSON.stringify([...causes])) reworded++;
        } else if (JSON.stringify([...next]) !== JSON.stringify([...causes])) {
          moved++;
        }
        causes = next;
      }
    }
    // Not vacuous: many changes were judged unread, and the estates were ones where a change can move a verdict.
    expect(unread).toBeGreaterThan(500);
    expect(moved).toBeGreaterThan(25);
    expect(siteNetwork).toBeGreaterThan(20);
    expect(reworded).toBeGreaterThan(0);
  });

  it.each<[string, Omit<Partial<ScopeStatus>, 'figures'> & { figures?: Partial<ScopeFigures> }, 'site' | 'device', boolean]>([
    ["a site's own latency", { figures: { p95Ms: 9_000 } }, 'site', false],
    ["a site's availability and checks", { figures: { availability: 0.5, appChecks: 3 } }, 'site', false],
    ["a site's name resolution", { figures: { dnsP95Ms: 3_000 } }, 'site', true],
    ["a site's gateway", { figures: { gatewayRttP95Ms: 80 } }, 'site', true],
    ["a site's state", { status: 'degraded' }, 'site', true],
    ['a reason, since and asOf', { reason: 'moved', since: 5, asOf: 99 }, 'device', false],
    ["a device's p50 and p99", { figures: { p50Ms: 1, p99Ms: 9 } }, 'device', false],
    ["a device's p95", { figures: { p95Ms: 2_500 } }, 'device', true],
    ["a device's CPU", { figures: { cpuPct: 99 } }, 'device', true],
    ["a device's access point", { ap: 'elsewhere' }, 'device', true],
  ])('%s: %s', (_what, edit, scope, expected) => {
    const before = estate().find((s) => s.scope === scope)!;
    const after = { ...before, ...edit, figures: { ...before.figures, ...edit.figures } };
    expect(attributionInputChanged(before, after)).toBe(expected);
  });
});
