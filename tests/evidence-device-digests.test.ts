// Devices' hourly rollups folded into month digests give the same evidence pack: a simulated trust's
// October read once from the hourly device rollups, then again after every device hour has been folded
// (as the processor does once they are two days old) — every figure the same, to rounding. With a
// maintenance window, the folded days it touches are left out whole, and the pack says how many.
import { describe, expect, it } from 'vitest';
import { SqliteRollupStore } from '@wardwatch/store';
import { buildEvidencePack, foldDeviceHours, loadPackInputs, londonMonth, parseEvidenceConfig } from '@wardwatch/evidence';
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
});
