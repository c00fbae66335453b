import { describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { attribute } from './attribute.ts';
import { LiveAttribution } from './live-attribution.ts';
import { estate, failingHalf, slow, type Bend } from './estate.fixture.ts';

const fed = (statuses: ScopeStatus[]) => {
  const live = new LiveAttribution();
  for (const s of statuses) live.set(s);
  return live;
};
const causesOf = (live: LiveAttribution, statuses: ScopeStatus[]) => new Map(statuses.flatMap((s) => (live.causeOf(s.key) ? [[s.key, live.causeOf(s.key)!] as const] : [])));

describe('LiveAttribution', () => {
  const bends: Array<[string, Bend]> = [
    ['an access point slow', (s) => ((s.scope === 'device' && s.ap === '3c:a8:2a:02:01:01') || s.key === 'ap:3c:a8:2a:02:01:01' ? slow : undefined)],
    ['one device slow', (s) => (s.key === 'device:S3-W2-D4' ? { ...slow, cpuPct: 97 } : undefined)],
    ['an application failing everywhere', (s) => (s.app === 'pacs' ? { availability: 0 } : s.scope === 'app' ? undefined : failingHalf)],
    ['a site slow, its name resolution too', (s) => (s.site === 'S1' ? { ...slow, ...(s.scope === 'site' ? { dnsP95Ms: 3000 } : {}) } : s.scope === 'site' ? { dnsP95Ms: 10 } : undefined)],
  ];

  it.each(bends)('gives attribute()’s causes: %s', (_name, bend) => {
    const statuses = estate(bend);
    const live = fed(statuses);
    const changed = live.run();
    const expected = attribute(statuses);
    expect(expected.size).toBeGreaterThan(0);
    expect(new Map(changed)).toEqual(expected);
    expect(causesOf(live, statuses)).toEqual(expected);
    expect(live.run()).toEqual(new Map()); // nothing set since: nothing moves
  });

  it.each([[['S1']], [['S1', 'S3']]])('gives attribute()’s words when other sites report no applications (%j silent)', (silent) => {
    const statuses = estate(bends[0]![1]).filter((s) => !(s.scope === 'app' && silent.includes(s.site!)));
    const live = fed(statuses);
    expect(new Map(live.run())).toEqual(attribute(statuses));
  });

  it.each(bends)('moves from a healthy estate to attribute()’s causes and back, telling only what changed: %s', (_name, bend) => {
    const healthy = estate();
    const live = fed(healthy);
    expect(live.run()).toEqual(new Map());
    const bent = estate(bend);
    for (const s of bent) live.set(s);
    expect(live.run()).toEqual(attribute(bent));
    for (const s of healthy) live.set(s);
    const cleared = live.run();
    expect([...cleared.values()].every((c) => c === undefined)).toBe(true);
    expect(causesOf(live, healthy)).toEqual(new Map());
  });
});
