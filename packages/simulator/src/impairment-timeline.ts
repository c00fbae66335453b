// The faults' effect on each measurement, looked up per event: between two fault boundaries (a start
// or an end) the active faults do not change, so they are found once per stretch, not per event, and
// a device no fault targets gets the stretch's common impairment without a scan or an allocation.
import { impairmentFor, NO_IMPAIRMENT, type Fault, type Impairment } from './scenarios.ts';

interface Device {
  id: string;
  site: string;
  ap: string;
  wired: boolean;
}

export class ImpairmentTimeline {
  private readonly faults: Fault[];
  private stretchFrom = Infinity;
  private stretchTo = -Infinity;
  private active: Fault[] = [];
  private common: Impairment = NO_IMPAIRMENT;
  private readonly targetedSites = new Set<string>();
  private readonly targetedAps = new Set<string>();
  private readonly targetedDevices = new Set<string>();

  /** The faults as they stand now: a fault injected or cleared later does not change this timeline. */
  constructor(faults: readonly Fault[]) {
    this.faults = faults.map((f) => ({ ...f }));
  }

  /** What the active faults do to this device's measurement at `at` (fastest when `at` only grows). */
  at(at: number, device: Device): Impairment {
    if (at < this.stretchFrom || at >= this.stretchTo) this.enter(at);
    if (this.active.length === 0) return NO_IMPAIRMENT;
    if (!this.targets(device)) return this.common;
    return impairmentFor(this.active, at, device);
  }

  private targets(device: Device): boolean {
    return this.targetedSites.has(device.site) || this.targetedDevices.has(device.id) || (!device.wired && this.targetedAps.has(device.ap));
  }

  private enter(at: number): void {
    this.stretchFrom = -Infinity;
    this.stretchTo = Infinity;
    this.active = [];
    this.targetedSites.clear();
    this.targetedAps.clear();
    this.targetedDevices.clear();
    const untargeted: Fault[] = [];
    for (const fault of this.faults) {
      for (const boundary of [fault.since, fault.until ?? Infinity]) {
        if (boundary <= at) this.stretchFrom = Math.max(this.stretchFrom, boundary);
        else this.stretchTo = Math.min(this.stretchTo, boundary);
      }
      if (at < fault.since || (fault.until !== undefined && at >= fault.until)) continue;
      this.active.push(fault);
      switch (fault.scenario) {
        case 'ap-degraded':
          this.targetedAps.add(fault.target);
          break;
        case 'site-wan-congested':
        case 'site-dns-slow':
          this.targetedSites.add(fault.target);
          break;
        case 'device-slow':
          this.targetedDevices.add(fault.target);
          break;
        case 'app-down':
        case 'app-flaky':
          untargeted.push(fault);
          break;
      }
    }
    // Application faults bend every device alike; the others, only their targets.
    this.common = impairmentFor(untargeted, at, { id: '', site: '', ap: '', wired: true });
  }
}
