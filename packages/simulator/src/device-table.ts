// What the simulator knows of each device beyond its spec — when its checks fall, how fast it is, the
// signal of its access point — drawn once from the seed and kept in columns (one typed array per
// figure, indexed by the device's position in the estate), so two million devices cost a few
// hundred bytes each and no object per device.
import type { DeviceSpec, Estate } from './estate.ts';
import { hashAbsorb, hashStart, hashString, hashUnit } from './random.ts';

const CHANNELS = [1, 6, 11, 36, 40, 44, 48, 149];
/** A device's checks fall at its phase (plus a shift per kind of check) within the cadence. */
export const PHASE_SPAN_MS = 60_000;

export class DeviceTable {
  /** The devices in estate order (site, ward, device): a device's position indexes every column. */
  readonly specs: DeviceSpec[];
  /** When in each cadence its checks fall, ms in [0, PHASE_SPAN_MS). */
  readonly phase: Int32Array;
  readonly speed: Float64Array;
  readonly siteSpeed: Float64Array;
  readonly signalOffset: Float64Array;
  readonly bootedAt: Float64Array;
  /** Its access point's usual signal, dBm, and channel. */
  readonly apSignal: Float64Array;
  readonly apChannel: Int32Array;
  /** The hash state after the seed and the device's index: every draw for the device starts here. */
  readonly hashKey: Uint32Array;

  constructor(estate: Estate, seed: number) {
    const siteSpeed = new Map(estate.sites.map((s) => [s.id, 0.9 + 0.3 * hashUnit(seed, hashString(s.id), 1)]));
    let n = 0;
    for (const site of estate.sites) for (const ward of site.wards) n += ward.devices.length;
    this.specs = new Array<DeviceSpec>(n);
    n = 0;
    for (const site of estate.sites) for (const ward of site.wards) for (const device of ward.devices) this.specs[n++] = device;
    this.phase = new Int32Array(n);
    this.speed = new Float64Array(n);
    this.siteSpeed = new Float64Array(n);
    this.signalOffset = new Float64Array(n);
    this.bootedAt = new Float64Array(n);
    this.apSignal = new Float64Array(n);
    this.apChannel = new Int32Array(n);
    this.hashKey = new Uint32Array(n);
    // The access points first: a device's is looked up among every ward's.
    const apBase = new Map<string, { signal: number; channel: number }>();
    for (const site of estate.sites) {
      for (const ward of site.wards) {
        if (ward.devices.length === 0) continue;
        for (const ap of ward.accessPoints) {
          if (apBase.has(ap)) continue;
          const h = hashString(ap);
          apBase.set(ap, { signal: -50 - 12 * hashUnit(seed, h, 2), channel: CHANNELS[Math.floor(hashUnit(seed, h, 3) * CHANNELS.length)]! });
        }
      }
    }
    const start = hashStart(seed);
    this.specs.forEach((device, pos) => {
      const h = hashString(device.id);
      this.phase[pos] = Math.floor(hashUnit(seed, h, 4) * PHASE_SPAN_MS);
      this.speed[pos] = 0.9 + 0.2 * hashUnit(seed, h, 5);
      this.siteSpeed[pos] = siteSpeed.get(device.site)!;
      this.signalOffset[pos] = -6 + 12 * hashUnit(seed, h, 6);
      this.bootedAt[pos] = Math.floor(hashUnit(seed, h, 7) * 5 * 86_400_000);
      const base = apBase.get(device.ap);
      if (!base && !device.wired) throw new Error(`device "${device.id}" reports access point "${device.ap}", which is on no ward with devices`);
      this.apSignal[pos] = base?.signal ?? 0;
      this.apChannel[pos] = base?.channel ?? 0;
      this.hashKey[pos] = hashAbsorb(start, device.index);
    });
  }

  get size(): number {
    return this.specs.length;
  }
}
