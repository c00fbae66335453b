import { describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { attribute, culpritsOf, poissonTail } from './attribute.ts';
import { mad, median, standsOut } from './robust.ts';
import { estate, failingHalf, slow, type Bend } from './estate.fixture.ts';

describe('attribute', () => {
  it.each<[string, Bend, string, 'network' | 'device' | 'application', RegExp]>([
    [
      'an access point whose devices are slow while the rest of the site is fine',
      (s) => ((s.scope === 'device' && s.ap === '3c:a8:2a:02:01:01') || s.key === 'ap:3c:a8:2a:02:01:01' ? { ...slow, wifiSignalDbm: -82 } : undefined),
      'ap:3c:a8:2a:02:01:01',
      'network',
      /2 of 2 devices on access point 3c:a8:2a:02:01:01 degraded; median device p95 4\.0 s against 700 ms on the site's other 6 devices \(6 of them fine\); Wi-Fi signal median −82 dBm; the same applications are fine at 2 of 2 other sites/,
    ],
    [
      'one device slow while its neighbours are fine',
      (s) => (s.key === 'device:S3-W2-D4' ? { ...slow, cpuPct: 97 } : undefined),
      'device:S3-W2-D4',
      'device',
      /p95 4\.0 s against 700 ms \(median of 3 neighbours on ward W2\); 3 of 3 neighbours fine; CPU median 97 %/,
    ],
    [
      'an application failing from every site while the others are fine',
      (s) => (s.app === 'pacs' ? { availability: 0 } : s.scope === 'app' ? undefined : failingHalf),
      'app:pacs',
      'application',
      /pacs degraded from 3 of 3 sites; availability 0 % across them, p95 700 ms \(median of sites\); the other applications are fine at those sites/,
    ],
    [
      'a whole site slow to every application, with slow name resolution',
      (s) => (s.site === 'S1' ? { ...slow, ...(s.scope === 'site' ? { dnsP95Ms: 3000 } : {}) } : s.scope === 'site' ? { dnsP95Ms: 10 } : undefined),
      'site:S1',
      'network',
      /2 of 2 wards degraded; median device p95 4\.0 s against 700 ms at 2 other sites; 3 of 3 applications slow or failing here; DNS lookups p95 3\.0 s against 10 ms at other sites/,
    ],
  ])('%s', (_name, bend, culprit, kind, evidence) => {
    const causes = attribute(estate(bend));
    const found = culpritsOf(causes.values());
    expect([...found.keys()]).toEqual([culprit]);
    expect(found.get(culprit)!.kind).toBe(kind);
    expect(found.get(culprit)!.evidence).toMatch(evidence);
  });

  it('explains every degraded scope by the narrowest culprit, and leaves healthy scopes alone', () => {
    const statuses = estate((s) => ((s.scope === 'device' && s.ap === '3c:a8:2a:02:01:01') || s.key === 'ap:3c:a8:2a:02:01:01' || s.key === 'ward:S2/W1' ? slow : undefined));
    const causes = attribute(statuses);
    for (const s of statuses) {
      if (s.status === 'ok') expect(causes.has(s.key)).toBe(false);
      else expect(causes.get(s.key)?.culprit, s.key).toBe('ap:3c:a8:2a:02:01:01');
    }
    expect(causes.get('ward:S2/W1')?.summary).toBe('network: access point 3c:a8:2a:02:01:01 on ward W1 at S2');
  });

  it('tells a slow device apart from the application outage it also suffers', () => {
    const statuses = estate((s) => {
      if (s.app === 'epr') return { availability: 0 };
      if (s.key === 'device:S1-W1-D3') return { ...slow, availability: 0.66 };
      return s.scope === 'app' ? undefined : failingHalf;
    });
    const found = culpritsOf(attribute(statuses).values());
    expect(new Map([...found].map(([k, c]) => [k, c.kind]))).toEqual(
      new Map<string, string>([
        ['app:epr', 'application'],
        ['device:S1-W1-D3', 'device'],
      ]),
    );
  });

  it.each([
    ['every other site reports its applications', [], /; the same applications are fine at 2 of 2 other sites$/],
    ['one other site reports none: it is not counted', ['S1'], /; the same applications are fine at 1 of 1 other site$/],
    ['no other site reports any: nothing said of them', ['S1', 'S3'], /Wi-Fi signal median −82 dBm$/],
  ])('counts only the other sites with application figures as fine or not: %s', (_, silent, ending) => {
    const ap = '3c:a8:2a:02:01:01';
    const statuses = estate((s) => ((s.scope === 'device' && s.ap === ap) || s.key === `ap:${ap}` ? { ...slow, wifiSignalDbm: -82 } : undefined)).filter(
      (s) => !(s.scope === 'app' && silent.includes(s.site!)),
    );
    const evidence = culpritsOf(attribute(statuses).values()).get(`ap:${ap}`)!.evidence;
    expect(evidence).toMatch(ending);
    expect(evidence).not.toMatch(/fine at 0 of/);
  });

  it('blames no one on a healthy estate, or for failures within chance', () => {
    expect(attribute(estate()).size).toBe(0);
    // One device failing 3 of 60 checks among neighbours failing 1 of 60: chance, not a fault.
    const noisy = estate((s) => (s.scope !== 'device' ? undefined : s.key === 'device:S1-W1-D1' ? { availability: 0.95 } : { availability: 0.983 }));
    expect(culpritsOf(attribute(noisy).values()).has('device:S1-W1-D1')).toBe(false);
  });
});

describe('robust statistics', () => {
  it.each<[number[], number | null, number | null]>([
    [[], null, null],
    [[5], 5, 0],
    [[1, 2, 3, 4], 2.5, 1.4826],
    [[1, 1, 1, 100], 1, 0],
  ])('median and MAD of %j', (values, m, d) => {
    expect(median(values)).toBe(m);
    if (d === null) expect(mad(values)).toBeNull();
    else expect(mad(values)).toBeCloseTo(d, 6);
  });

  it.each<[number, number[], boolean]>([
    [4000, [700, 650, 720], true],
    [900, [700, 650, 720], false], // above, but not twice the median
    [4000, [700], false], // one peer is an anecdote
    [2200, [1000, 1100, 1050, 3000], true],
  ])('%d stands out from %j: %s', (value, peers, expected) => {
    expect(standsOut(value, peers, { deviations: 3, minExcess: 500, minRatio: 2 })).toBe(expected);
  });

  it.each<[number, number, number]>([
    [0, 2, 1],
    [1, 2, 1 - Math.exp(-2)],
    [3, 1, 1 - Math.exp(-1) * (1 + 1 + 0.5)],
  ])('P(X ≥ %d) for Poisson(%d)', (k, lambda, expected) => {
    expect(poissonTail(k, lambda)).toBeCloseTo(expected, 10);
  });
});
