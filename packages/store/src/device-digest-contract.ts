// What every DeviceDigestStore must do, run against SQLite and PostgreSQL alike. Not exported from the
// package entry: it imports vitest. The fold here sums valid counts per month as text: the store
// neither knows nor cares what a digest's bytes are.
import { describe, expect, it } from 'vitest';
import { openedStores } from './opened-stores.fixture.ts';
import type { DeviceDigestStore, DeviceFold } from './device-digest-store.ts';
import { FOLD_BATCH_DEVICES } from './device-digest-store.ts';
import type { RollupRecord, RollupStore } from './rollup-store.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);
const NEXT_MONTH = Date.UTC(2026, 11, 1);

type Store = RollupStore & DeviceDigestStore & { dispose?: () => Promise<void> };

const row = (scope: string, start: number, valid = 1, metric = 'app.totalMs'): RollupRecord => ({ scope, metric, resolution: '1h', start, count: 0, valid, good: valid, fast: valid, sketch: new Uint8Array(0) });
const text = new TextEncoder();
const untext = new TextDecoder();
/** Sums valid counts per (UTC) month into the stored sum. */
const sumFold: DeviceFold = (_device, rows, stored) => {
  const sums = new Map<number, number>();
  for (const r of rows) {
    const month = r.start >= NEXT_MONTH ? NEXT_MONTH : T0;
    sums.set(month, (sums.get(month) ?? Number(untext.decode(stored.get(month) ?? text.encode('0')))) + r.valid);
  }
  return [...sums].map(([month, sum]) => ({ month, body: text.encode(String(sum)) }));
};
const sums = async (store: Store, from = T0, to = NEXT_MONTH + 31 * 24 * HOUR) =>
  Object.fromEntries((await store.deviceDigests({ from, to })).map((d) => [`${d.device}@${d.month === T0 ? 'nov' : 'dec'}`, Number(untext.decode(d.body))]));

export function describeDeviceDigestContract(name: string, open: () => Promise<Store>, second?: (store: Store) => Promise<Store>): void {
  describe(`${name}: device digests`, () => {
    const { fresh, adopt } = openedStores(open);

    it('folds hourly device rows before a time into digests and deletes them; later rows and other scopes stay', async () => {
      const store = await fresh();
      await store.write([
        row('device:D1', T0, 2), row('device:D1', T0 + HOUR, 3, 'wifi.signalDbm'), row('device:D1', T0 + 5 * HOUR, 7),
        row('device:D2', T0 + HOUR, 4), row('site:S1', T0, 9), row('ward:S1/W1', T0, 9),
        { ...row('device:D1', T0), resolution: '5m' },
      ]);
      expect(await store.foldDeviceHours(T0 + 2 * HOUR, sumFold)).toBe(3);
      expect(await sums(store)).toEqual({ 'D1@nov': 5, 'D2@nov': 4 });
      const left = await store.query({ scope: 'device:*', resolution: '1h', from: 0, to: NEXT_MONTH });
      expect(left.map((r) => [r.scope, r.start])).toEqual([['device:D1', T0 + 5 * HOUR]]);
      expect(await store.query({ scope: 'site:S1', resolution: '1h', from: 0, to: NEXT_MONTH })).toHaveLength(1);
      expect(await store.query({ scope: 'device:D1', resolution: '5m', from: 0, to: NEXT_MONTH })).toHaveLength(1);
      // Folding again adds to what is stored (a late row, say), month by month.
      await store.write([row('device:D1', T0 + 3 * HOUR, 10), row('device:D1', NEXT_MONTH + HOUR, 1)]);
      expect(await store.foldDeviceHours(NEXT_MONTH + 2 * HOUR, sumFold)).toBe(3);
      expect(await sums(store)).toEqual({ 'D1@nov': 22, 'D1@dec': 1, 'D2@nov': 4 });
      expect(await sums(store, NEXT_MONTH)).toEqual({ 'D1@dec': 1 });
      expect(await store.foldDeviceHours(NEXT_MONTH + 2 * HOUR, sumFold)).toBe(0);
    });

    it(`folds more devices than one batch holds (${FOLD_BATCH_DEVICES})`, async () => {
      const store = await fresh();
      const devices = FOLD_BATCH_DEVICES * 2 + 7;
      await store.write(Array.from({ length: devices }, (_, i) => [row(`device:D${String(i).padStart(4, '0')}`, T0, 1), row(`device:D${String(i).padStart(4, '0')}`, T0 + HOUR, 2)]).flat());
      expect(await store.foldDeviceHours(T0 + 2 * HOUR, sumFold)).toBe(devices * 2);
      const digests = await store.deviceDigests({ from: T0, to: NEXT_MONTH });
      expect(digests).toHaveLength(devices);
      expect(digests.every((d) => untext.decode(d.body) === '3')).toBe(true);
    });

    it('keeps a fold that fails whole: nothing folded, nothing deleted', async () => {
      const store = await fresh();
      await store.write([row('device:D1', T0, 2), row('device:D2', T0, 3)]);
      await expect(store.foldDeviceHours(T0 + HOUR, (device, rows, stored) => {
        if (device === 'D2') throw new Error('bad digest');
        return sumFold(device, rows, stored);
      })).rejects.toThrow('bad digest');
      expect(await sums(store)).toEqual({});
      expect(await store.query({ scope: 'device:*', resolution: '1h', from: 0, to: NEXT_MONTH })).toHaveLength(2);
    });

    if (second) {
      it('folds each row once when two folders run at once', async () => {
        const store = await fresh();
        const other = await second(store);
        adopt(other);
        await store.write(Array.from({ length: 600 }, (_, i) => row(`device:D${String(i).padStart(4, '0')}`, T0, 1)));
        const [a, b] = await Promise.all([store.foldDeviceHours(T0 + HOUR, sumFold), other.foldDeviceHours(T0 + HOUR, sumFold)]);
        expect(a + b).toBe(600);
        const digests = await store.deviceDigests({ from: T0, to: NEXT_MONTH });
        expect(digests).toHaveLength(600);
        expect(digests.every((d) => untext.decode(d.body) === '1')).toBe(true);
      });
    }
  });
}
