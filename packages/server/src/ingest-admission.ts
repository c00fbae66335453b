// Whether an event may come from where it claims, judged one event at a time after the schema:
//   1. the token: a device token covers its own device, and its trust and site when it carries them;
//      a site token covers the devices of its site (and trust);
//   2. the estate register, when given: the site must be listed (in the event's trust), and when the
//      register lists devices, the device must be listed at the event's site;
//   3. the scope cap: each token (or, on open ingest, all senders together) may bring at most N sites,
//      wards and devices never seen before per hour; past it, events that would add one are refused.
// The first refusal wins; its reason labels the dead-letter record and the rejected counter.
import type { RejectReason, TelemetryEvent } from '@wardwatch/schema';
import type { EstateLookup } from './estate-register-file.ts';
import type { IngestGrant } from './ingest-tokens.ts';

export interface AdmissionRefusal {
  reason: Extract<RejectReason, 'device-mismatch' | 'site-mismatch' | 'trust-mismatch' | 'unknown-site' | 'unknown-device' | 'scope-cap'>;
  message: string;
}

type Place = Pick<TelemetryEvent, 'trust' | 'site' | 'ward' | 'device'>;

export interface IngestAdmissionOptions {
  /** An EstateRegister, or an EstateRegisterFile that follows its file. */
  register?: EstateLookup;
  /** New scopes (sites, wards, devices) per token per hour; undefined → no cap. */
  scopeCapPerHour?: number;
  /** Scopes of each kind remembered as seen (default 200,000); the oldest are forgotten past it. */
  maxRememberedScopes?: number;
}

const HOUR_MS = 3_600_000;

/**
 * A set that forgets its oldest member past `max`: what the cap has let in stays bounded however long
 * a sender keeps inventing at the cap. A forgotten scope that sends again just counts as new once more.
 */
class BoundedSet {
  private readonly members = new Set<string>();
  constructor(private readonly max: number) {}
  has(value: string): boolean {
    return this.members.has(value);
  }
  add(value: string): void {
    this.members.add(value);
    if (this.members.size > this.max) this.members.delete(this.members.values().next().value!);
  }
  get size(): number {
    return this.members.size;
  }
}

/** Whether a grant covers an event's place; when not, the refusal naming the field at fault. */
export function grantRefusal(grant: IngestGrant, event: Place): AdmissionRefusal | undefined {
  if (grant.device !== undefined && event.device !== grant.device) {
    return { reason: 'device-mismatch', message: `device: "${event.device}" is not the device of this token ("${grant.device}"); each device sends with its own token` };
  }
  const holder = grant.device !== undefined ? `device "${grant.device}"` : `the devices of site "${grant.site}"`;
  if (grant.site !== undefined && event.site !== grant.site) {
    return { reason: 'site-mismatch', message: `site: device "${event.device}" claims site "${event.site}", but this token is for ${holder}${grant.device !== undefined ? ` at site "${grant.site}"` : ''}` };
  }
  if (grant.trust !== undefined && event.trust !== grant.trust) {
    return { reason: 'trust-mismatch', message: `trust: "${event.trust}" is not the trust of this token ("${grant.trust}", for ${holder})` };
  }
  return undefined;
}

/** Whether the register knows the event's place; undefined when it does (or lists no devices). */
export function registerRefusal(register: EstateLookup, event: Place): AdmissionRefusal | undefined {
  const trust = register.trustOfSite(event.site);
  if (trust === undefined) {
    return { reason: 'unknown-site', message: `site: "${event.site}" is not in the estate register; add it there if it is a real site` };
  }
  if (trust !== event.trust) {
    return { reason: 'trust-mismatch', message: `trust: site "${event.site}" belongs to trust "${trust}" in the estate register, not "${event.trust}"` };
  }
  if (!register.checksDevices) return undefined;
  const site = register.siteOfDevice(event.device);
  if (site === undefined) {
    return { reason: 'unknown-device', message: `device: "${event.device}" is not in the estate register; add it there if it is a real device` };
  }
  if (site !== event.site) {
    return { reason: 'site-mismatch', message: `site: device "${event.device}" is at site "${site}" in the estate register, not "${event.site}"` };
  }
  return undefined;
}

interface CapWindow {
  start: number;
  added: number;
}

export class IngestAdmission {
  private readonly register: EstateLookup | undefined;
  private readonly cap: number | undefined;
  /** Scopes seen since start (sites, `site/ward`, devices); grows only by what the cap lets in. */
  private readonly seen: { sites: BoundedSet; wards: BoundedSet; devices: BoundedSet };
  /** One per token (and one for open ingest): bounded by the token file. */
  private readonly windows = new Map<string, CapWindow>();

  constructor(options: IngestAdmissionOptions = {}) {
    this.register = options.register;
    this.cap = options.scopeCapPerHour;
    const max = options.maxRememberedScopes ?? 200_000;
    this.seen = { sites: new BoundedSet(max), wards: new BoundedSet(max), devices: new BoundedSet(max) };
  }

  /** Scopes remembered as seen, by kind (for tests and diagnostics). */
  get remembered(): { sites: number; wards: number; devices: number } {
    return { sites: this.seen.sites.size, wards: this.seen.wards.size, devices: this.seen.devices.size };
  }

  /** Picks up a changed estate register file; call once per request, before judging its events. */
  async refresh(): Promise<void> {
    await this.register?.refresh?.();
  }

  /** Judges one schema-valid event from the holder of `grant` (undefined on open ingest) at `now`. */
  refusal(grant: IngestGrant | undefined, event: Place, now: number): AdmissionRefusal | undefined {
    const refused = (grant && grantRefusal(grant, event)) ?? (this.register && registerRefusal(this.register, event));
    if (refused) return refused;
    return this.cap === undefined ? undefined : this.capRefusal(grant, event, now, this.cap);
  }

  private capRefusal(grant: IngestGrant | undefined, event: Place, now: number, cap: number): AdmissionRefusal | undefined {
    const ward = `${event.site}/${event.ward}`;
    // Sites and devices in the register are known from the start; wards are not listed there.
    const newSite = !this.seen.sites.has(event.site) && this.register?.trustOfSite(event.site) === undefined;
    const newWard = !this.seen.wards.has(ward);
    const newDevice = !this.seen.devices.has(event.device) && this.register?.siteOfDevice(event.device) === undefined;
    const adds = (newSite ? 1 : 0) + (newWard ? 1 : 0) + (newDevice ? 1 : 0);
    if (adds === 0) return undefined;
    const key = grant === undefined ? 'open' : grant.device !== undefined ? `device:${grant.device}` : `site:${grant.site}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= HOUR_MS) {
      window = { start: now, added: 0 };
      this.windows.set(key, window);
    }
    if (window.added + adds > cap) {
      const holder = grant === undefined ? 'open ingest' : `the token for ${key.replace(':', ' ')}`;
      const resumes = new Date(window.start + HOUR_MS).toISOString();
      return {
        reason: 'scope-cap',
        message: `${holder} has brought ${window.added} new sites, wards and devices this hour, the most allowed is ${cap}; "${event.site}/${event.ward}/${event.device}" would add ${adds} more (new ones are accepted again from ${resumes}, or list them in the estate register)`,
      };
    }
    window.added += adds;
    if (newSite) this.seen.sites.add(event.site);
    if (newWard) this.seen.wards.add(ward);
    if (newDevice) this.seen.devices.add(event.device);
    return undefined;
  }
}
