// Devices not OK, grouped by what is wrong: those degraded on their own (their own fault, or no cause
// found) each need a look, so they come first and whole; those that share a likely cause elsewhere (a
// congested site, a failing access point, a slow application) are one fault, so they come as one
// group under it, the largest first. Pure, so the grouping and order are table-tested.
import { countText } from '@wardwatch/schema';
import type { Cause, Health, ScopeStatus } from '@wardwatch/schema';

export interface DeviceGroup {
  /** The cause the group's devices share; absent for the group of devices degraded on their own. */
  cause?: Cause;
  /** Worst first (deviceConcern). */
  devices: ScopeStatus[];
}

/** Whether a device's likely cause lies outside it: a network, an application, not the device. */
export const sharesCause = (device: ScopeStatus): boolean => device.cause !== undefined && device.cause.culprit !== device.key;

const STATUS_RANK: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };

/** Worst first: down, degraded, unknown; then the least available, then the slowest, then by name. */
export function deviceConcern(a: ScopeStatus, b: ScopeStatus): number {
  const availability = (s: ScopeStatus) => s.figures.availability ?? 1;
  return (
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    availability(a) - availability(b) ||
    (b.figures.p95Ms ?? 0) - (a.figures.p95Ms ?? 0) ||
    a.key.localeCompare(b.key)
  );
}

/**
 * The devices in groups: first those degraded on their own (when there are any), then one group per
 * shared cause, the most devices first (ties by the culprit's key).
 */
export function groupDevicesByCause(devices: readonly ScopeStatus[]): DeviceGroup[] {
  const own: ScopeStatus[] = [];
  const shared = new Map<string, DeviceGroup>();
  for (const device of devices) {
    if (!sharesCause(device)) {
      own.push(device);
      continue;
    }
    const culprit = device.cause!.culprit;
    const group = shared.get(culprit);
    if (group) group.devices.push(device);
    else shared.set(culprit, { cause: device.cause!, devices: [device] });
  }
  const groups = [...shared.values()].sort((a, b) => b.devices.length - a.devices.length || a.cause!.culprit.localeCompare(b.cause!.culprit));
  for (const group of groups) group.devices.sort(deviceConcern);
  return own.length > 0 ? [{ devices: own.sort(deviceConcern) }, ...groups] : groups;
}

/** "1 device", "1,203 devices". */
export const devicesWord = (n: number): string => `${countText(n)} device${n === 1 ? '' : 's'}`;

/** One line over the groups: how many devices, how many on their own, how many under shared causes. */
export function groupsLead(groups: readonly DeviceGroup[]): string {
  const own = groups[0] && !groups[0].cause ? groups[0].devices.length : 0;
  const causes = groups.length - (own ? 1 : 0);
  const shared = groups.reduce((n, g) => n + (g.cause ? g.devices.length : 0), 0);
  const total = `${devicesWord(own + shared)} not OK`;
  const under = causes === 1 ? 'one likely cause' : `${causes} likely causes`;
  if (!shared) return `${total}, ${own === 1 ? 'on its own' : 'each on its own'}.`;
  if (!own) return `${total}, ${causes === 1 ? 'all ' : ''}under ${under}.`;
  return `${total}: ${countText(own)} on ${own === 1 ? 'its' : 'their'} own; ${countText(shared)} under ${under}.`;
}
