// The store's side of device digests: hourly device rollups folded into one digest per device and
// month (device-digest.ts) once they are older than DEVICE_HOURS_KEPT_MS, then deleted. Run hourly
// beside the store's pruning; exact for every figure the pack reads (see docs/evidence-guide.md).
import type { DeviceDigestStore } from '@wardwatch/store';
import { addHours, decodeDigest, encodeDigest, mergeDays, monthStartOf, type DeviceDay } from './device-digest.ts';

/** Hourly device rollups are kept two days (the device page's charts read them), then folded. */
export const DEVICE_HOURS_KEPT_MS = 2 * 86_400_000;

/** Folds the hourly device rollups starting before `before` into the devices' month digests; resolves with the rows folded. */
export function foldDeviceHours(store: DeviceDigestStore, before: number): Promise<number> {
  return store.foldDeviceHours(before, (_device, rows, stored) => {
    const days = new Map<number, DeviceDay>();
    addHours(days, rows);
    const byMonth = new Map<number, DeviceDay[]>();
    for (const d of days.values()) {
      const month = monthStartOf(d.day);
      byMonth.set(month, [...(byMonth.get(month) ?? []), d]);
    }
    return [...byMonth].map(([month, added]) => {
      const kept = stored.get(month);
      const all = new Map((kept ? decodeDigest(month, kept) : []).map((d) => [d.day, d]));
      mergeDays(all, added);
      return { month, body: encodeDigest(month, all.values()) };
    });
  });
}
