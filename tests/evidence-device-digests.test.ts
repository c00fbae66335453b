// Devices' hourly rollups folded into month digests give the same evidence pack: a simulated trust's
// October read once from the hourly device rollups, then again after every device hour has been folded
// (as the processor does once they are two days old) — every figure the same, to rounding. With a
// maintenance window, the folded days it touches are left out whole, and the pack says how many.
import { describe, expect, it } from 'vitest';
import { SqliteRollupStore } from '@wardwatch/store';
import { buildEvidencePack, dayEnd, decodeDigest, foldDeviceHours, loadPackInputs, londonMonth, parseEvidenceConfig } from '@wardwatch/evidence';
import { PackContext } from '../packages/evidence/src/pack-context.ts';
import type { SpanRecord } from '../packages/evidence/src/site-days.ts';
import { TallyIndex, type Tally } from '../packages/evidence/src/tally.ts';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';

const OCT = londonMonth('2026-10');
const config = parseEvidenceConfig('applications: { checkIntervalS: 300 }\ntrendMonths: 2\n');

async function packOf(store: SqliteRollupStore) {
  const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: 'test', now: Date.UTC(2026, 10, 20) });
  return buildEvidencePack(inputs, config);
}

/** Numbers to 9 significant digits: the folded bins' values may differ from the sketches' in the last place. */
const rounded = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));

describe('device digests in the evidence pack', () => {
  it('give the figures the hourly device rollups give', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await writeTrust(store, { from: OCT.from, to: OCT.to, seed: 3 });
      const hourly = await packOf(store);
      const deviceRows = (await store.query({ scope: 'device:*', resolution: '1h', from: OCT.from, to: OCT.to, countsOnly: true })).length;
      expect(await foldDeviceHours(store, OCT.to)).toBe(deviceRows);
      expect(await store.query({ scope: 'device:*', resolution: '1h', from: OCT.from, to: OCT.to })).toEqual([]);
      expect(await store.deviceDigests({ from: OCT.from, to: OCT.to })).toHaveLength(23);
      const folded = await packOf(store);
      expect(folded.method.assumptions.some((a) => a.startsWith("Devices' rollups older than two days"))).toBe(true);
      const strip = (p: typeof hourly) => rounded({ ...p, generatedAt: 0, method: { ...p.method, assumptions: p.method.assumptions.filter((a) => !a.startsWith("Devices' rollups")) } });
      expect(strip(folded)).toEqual(strip(hourly));
      // The figures compared are there: devices, models, scores and disruption-free time.
      expect(hourly.devices.worstDevices).toHaveLength(10);
      expect(hourly.experience.sites.every((s) => s.disruptionFree !== null)).toBe(true);
      expect(hourly.method.coverage.devicesReporting).toBe(23);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('leave a maintenance day out whole for the devices of its site, and say so', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await writeTrust(store, { from: OCT.from, to: OCT.to, seed: 3 });
      await store.addAnnotation({ id: 'm1', trust: 'RXX', scope: 'site:S1', kind: 'maintenance', title: 'Switch upgrade', start: Date.UTC(2026, 9, 7, 10), end: Date.UTC(2026, 9, 7, 12), createdAt: OCT.from });
      const hourly = await packOf(store);
      await foldDeviceHours(store, OCT.to);
      const folded = await packOf(store);
      // S1's 10 devices lose 7 October whole; S2's figures do not move.
      expect(folded.method.assumptions.find((a) => a.startsWith("Devices' rollups"))).toMatch(/\(10 device-days this month\)/);
      const site = (p: typeof hourly, id: string) => rounded(p.experience.sites.find((s) => s.scope === id));
      expect(site(folded, 'site:S2')).toEqual(site(hourly, 'site:S2'));
      const s1Hourly = hourly.experience.sites.find((s) => s.scope === 'site:S1')!;
      const s1Folded = folded.experience.sites.find((s) => s.scope === 'site:S1')!;
      expect(s1Folded.components.device).not.toBe(s1Hourly.components.device);
      expect(Math.abs(s1Folded.components.device! - s1Hourly.components.device!)).toBeLessThan(0.01);
      // Logons are site rollups, not device ones: unchanged.
      expect(rounded(folded.logons)).toEqual(rounded(hourly.logons));
    } finally {
      await store.close();
    }
  }, 120_000);

  it('are walked into the same tallies and minutes as their decoded days, exactly', async () => {
    // The pack walks the digest bytes into its tallies (walkDigest); decoding every day into an object
    // and adding those (as the pack once did) must give the very same numbers, not merely close ones.
    // Half the month folded, so devices have both digest days and hourly rows; a maintenance day too.
    const store = new SqliteRollupStore(':memory:');
    try {
      await writeTrust(store, { from: OCT.from, to: OCT.to, seed: 5 });
      await store.addAnnotation({ id: 'm1', trust: 'RXX', scope: 'site:S2', kind: 'maintenance', title: 'Switch upgrade', start: Date.UTC(2026, 9, 9, 10), end: Date.UTC(2026, 9, 9, 12), createdAt: OCT.from });
      await foldDeviceHours(store, Date.UTC(2026, 9, 16));
      const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: 'test', now: Date.UTC(2026, 10, 20) });
      expect(inputs.deviceDigests).toHaveLength(23);
      expect(inputs.month.some((r) => r.scope.startsWith('device:'))).toBe(true);
      const ctx = new PackContext(inputs, config);

      const expected = new TallyIndex(inputs.month, (r) => !ctx.inMaintenance(r));
      const minutes: Array<[string, number, number]> = [];
      let kept = 0;
      let skipped = 0;
      for (const d of inputs.deviceDigests) {
        const scope = `device:${d.device}`;
        for (const day of decodeDigest(d.month, d.body)) {
          if (ctx.inMaintenance({ scope, start: day.day, end: dayEnd(day.day) } as SpanRecord)) {
            skipped++;
            continue;
          }
          kept++;
          minutes.push([scope, day.active, day.disrupted]);
          for (const [metric, counts] of day.metrics) expected.addCounts(scope, metric, counts);
        }
      }
      expect(skipped).toBe(10);
      expect([ctx.deviceDays, ctx.deviceDaysInMaintenance]).toEqual([kept, skipped]);

      const fields = (t: Tally | undefined) => t && { count: t.count, valid: t.valid, good: t.good, fast: t.fast, bins: [...t.bins.entries()].sort((a, b) => a[0] - b[0]), hours: [...t.hours].sort() };
      const all = (index: TallyIndex) => [...index.byScope].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scope, metrics]) => [scope, [...metrics.keys()].sort().map((m) => [m, fields(index.get(scope, m))])]);
      expect(all(ctx.index)).toEqual(all(expected));
      expect(ctx.index.get('device:S1-W1-D1', 'logon.totalMs')!.bins.count).toBeGreaterThan(0);

      const walked: Array<[string, number, number]> = [];
      for (const { scope, from, to } of ctx.digestMinuteSpans) for (let i = from; i < to; i++) walked.push([scope, ctx.digestMinutes[2 * i]!, ctx.digestMinutes[2 * i + 1]!]);
      expect(walked).toEqual(minutes);
      expect(minutes.some(([, , disrupted]) => disrupted > 0)).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
