import { describe, expect, it } from 'vitest';
import type { LogonEvent } from '@wardwatch/schema';
import { buildEstate } from './estate.ts';
import { Simulator } from './simulator.ts';

const estate = buildEstate({ seed: 4, sites: 2, wardsPerSite: 2, devicesPerWard: 10 });
const AT = Date.parse('2026-10-19T07:00:00Z');

/** Median logon time per site, before and after AT, over a shift change either side. */
function medians(simulator: Simulator): Record<string, { before: number; after: number }> {
  const logons = [
    ...simulator.generate(AT - 2 * 3_600_000, AT),
    ...simulator.generate(AT, AT + 2 * 3_600_000),
  ].filter((e): e is LogonEvent => e.kind === 'logon');
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, { before: number; after: number }> = {};
  for (const site of ['RXX01', 'RXX02']) {
    const at = logons.filter((e) => e.site === site);
    out[site] = { before: median(at.filter((e) => e.ts < AT).map((e) => e.body.totalMs)), after: median(at.filter((e) => e.ts >= AT).map((e) => e.body.totalMs)) };
  }
  return out;
}

describe('logon changes', () => {
  it('make logons at their site faster from their time on, and nowhere else', () => {
    const plain = medians(new Simulator({ estate, seed: 4 }));
    const changed = medians(new Simulator({ estate, seed: 4, logonChanges: [{ site: 'RXX02', at: AT, logonFactor: 0.4 }] }));
    expect(changed.RXX01).toEqual(plain.RXX01);
    expect(changed.RXX02!.before).toBe(plain.RXX02!.before);
    expect(changed.RXX02!.after / plain.RXX02!.after).toBeCloseTo(0.4, 1);
  });
});
