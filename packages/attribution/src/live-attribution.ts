// Attribution kept up to date as statuses change, for a board that holds the latest status of every
// scope: it gives the causes attribute() would give over those statuses, re-judging only what changed.
//
// Rules 2 and 3 (access points, wards, devices) and the assignment of causes compare a scope only
// with the rest of its own site, so their results are kept per site and a site is judged again only
// when one of its statuses changed something they read (attributionInputChange). What is read across
// sites is kept cheap instead of incremental:
//   - rule 1 (applications) reads the application rows alone — a few per site — and runs again when
//     one of them changed;
//   - "the same applications are fine at n of m other sites" is a count over sites, kept per run;
//   - rule 4 (a site's network) compares a degraded site's devices with every other site's, so it
//     runs again for each site it may blame whenever any device, site or blamed application changed:
//     a degraded site with most of its wards degraded is rare, and a healthy estate pays nothing.
// An access point whose devices sit at more than one site, or a ward filed under another site than
// its key names, would tie sites together: then every run attributes the whole estate afresh.
import type { Cause, ScopeStatus } from '@wardwatch/schema';
import {
  assign,
  attribute,
  blameApplications,
  blameGroupsAndDevices,
  blameSite,
  DEFAULT_ATTRIBUTION,
  Estate,
  fineAtOtherSites,
  hasData,
  siteAppsFine,
  siteMayBeBlamed,
  type AttributionOptions,
} from './attribute.ts';
import { attributionInputChange } from './attribution-inputs.ts';

/** Causes kept for a board: statuses in with set(), causes out with run() and causeOf(). */
export interface Attributor {
  /** Takes a scope's latest status (its cause, if any, is ignored). */
  set(status: ScopeStatus): void;
  /**
   * Attributes the statuses set so far; returns every scope whose cause differs from the previous
   * run's (undefined: it has none now), in the order the scopes were first set.
   */
  run(): Map<string, Cause | undefined>;
  /** A scope's cause as of the latest run. */
  causeOf(key: string): Cause | undefined;
}

interface Entry {
  status: ScopeStatus;
  /** Order of first sight: attribute() reads statuses in this order, and ties (the commonest culprit) follow it. */
  readonly seq: number;
  /** The site whose part holds it (the status's site when it was last set). */
  part: string | undefined;
}

class SitePart {
  /** Its statuses in order of first sight. */
  readonly members: Entry[] = [];
  /** Something any rule reads changed here since the last run. */
  dirty = true;
  /** A device, access point or ward here changed (rules 2 and 3 read nothing else of the site). */
  groupsDirty = true;
  estate: Estate | undefined;
  /** Rules 2 and 3's culprits here. */
  culprits = new Map<string, Cause>();
  /** The "fine at other sites" line rules 2 and 3 used, or null when no group was blamed (so none was used). */
  fineUsed: string | undefined | null = null;
  siteCause: Cause | undefined;
  causes = new Map<string, Cause>();
}

const sameCause = (a: Cause | undefined, b: Cause | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.culprit === b.culprit && a.evidence === b.evidence && a.summary === b.summary && a.kind === b.kind);

function sameCauses(a: ReadonlyMap<string, Cause>, b: ReadonlyMap<string, Cause>): boolean {
  if (a.size !== b.size) return false;
  const bk = b.entries();
  for (const [key, cause] of a) {
    const [otherKey, other] = bk.next().value as [string, Cause];
    if (key !== otherKey || !sameCause(cause, other)) return false;
  }
  return true;
}

/** Attributes the whole estate from scratch at every run: the reference LiveAttribution is held to. */
export class WholeEstateAttribution implements Attributor {
  private readonly statuses = new Map<string, ScopeStatus>();
  private verdicts = new Map<string, Cause>();

  constructor(private readonly options: AttributionOptions = DEFAULT_ATTRIBUTION) {}

  set(status: ScopeStatus): void {
    this.statuses.set(status.key, status);
  }

  run(): Map<string, Cause | undefined> {
    const verdicts = attribute(this.statuses.values(), this.options);
    const changed = new Map<string, Cause | undefined>();
    for (const key of this.statuses.keys()) {
      const cause = verdicts.get(key);
      if (!sameCause(this.verdicts.get(key), cause)) changed.set(key, cause);
    }
    this.verdicts = verdicts;
    return changed;
  }

  causeOf(key: string): Cause | undefined {
    return this.verdicts.get(key);
  }
}

export class LiveAttribution implements Attributor {
  private readonly entries = new Map<string, Entry>();
  private readonly parts = new Map<string, SitePart>();
  private readonly verdicts = new Map<string, Cause>();
  private appCulprits = new Map<string, Cause>();
  /** Application rows' sites and the sites with figures, for the "fine at other sites" count. */
  private appEstate = new Estate([]);
  private devicesChanged = true;
  private sitesChanged = true;
  private appsChanged = true;
  /** Sites each access point's statuses name, to notice an access point spanning sites. */
  private readonly apSites = new Map<string, Map<string, number>>();
  private apsAcrossSites = 0;
  private misfiledWards = 0;
  /** Set after a whole-estate run: every part is judged again at the next run by parts. */
  private partsStale = false;
  /** How many runs judged the whole estate afresh (an access point or ward tying sites together). */
  wholeEstateRuns = 0;

  constructor(private readonly options: AttributionOptions = DEFAULT_ATTRIBUTION) {}

  set(status: ScopeStatus): void {
    const entry = this.entries.get(status.key);
    if (!entry) {
      const fresh: Entry = { status, seq: this.entries.size, part: status.site };
      this.entries.set(status.key, fresh);
      this.tie(status, 1);
      if (fresh.part) this.partFor(fresh.part).members.push(fresh);
      this.touched(status, fresh.part, true);
      return;
    }
    const before = entry.status;
    entry.status = status;
    const change = attributionInputChange(before, status);
    if (change === undefined) return;
    this.tie(before, -1);
    this.tie(status, 1);
    if (entry.part !== status.site) {
      if (entry.part) {
        const old = this.partFor(entry.part);
        old.members.splice(old.members.indexOf(entry), 1);
        this.touched(before, entry.part, true);
      }
      entry.part = status.site;
      if (entry.part) insertBySeq(this.partFor(entry.part).members, entry);
      this.touched(status, entry.part, true);
      return;
    }
    this.touched(status, entry.part, before.scope !== status.scope);
    if (before.scope !== status.scope) this.touched(before, entry.part, true);
  }

  causeOf(key: string): Cause | undefined {
    return this.verdicts.get(key);
  }

  run(): Map<string, Cause | undefined> {
    if (this.apsAcrossSites > 0 || this.misfiledWards > 0) return this.runWholeEstate();
    const stale = this.partsStale;
    this.partsStale = false;
    const options = this.options;

    // Rule 1 and the count of sites whose applications are fine: application rows and sites only.
    let appCulpritsChanged = stale;
    if (this.appsChanged || this.sitesChanged || stale) {
      if (this.appsChanged || stale) {
        this.appEstate = new Estate(this.ordered((s) => s.scope === 'app' || s.scope === 'site'));
        const culprits = blameApplications(this.appEstate, options);
        if (!sameCauses(culprits, this.appCulprits)) appCulpritsChanged = true;
        this.appCulprits = culprits;
      } else {
        this.appEstate = new Estate(this.ordered((s) => s.scope === 'app' || s.scope === 'site'));
      }
    }
    const appCulprits = this.appCulprits;
    const blamedApps = new Set(appCulprits.keys());
    const worstApp = appCulprits.values().next().value as Cause | undefined;
    const sites = this.appEstate.sites;
    let fineSites = 0;
    const fineHere = (id: string) => sites.has(id) && siteAppsFine(this.appEstate.appsBySite.get(id) ?? [], blamedApps);
    for (const id of sites.keys()) if (fineHere(id)) fineSites++;
    const fineElsewhere = (id: string) => {
      const here = sites.has(id);
      return fineAtOtherSites(fineSites - (here && fineHere(id) ? 1 : 0), sites.size - (here ? 1 : 0));
    };

    // Rule 4 reads every device and site: gathered once a run, and only if a site may be blamed.
    let allDevices: ScopeStatus[] | undefined;
    const devices = () => (allDevices ??= this.ordered((s) => s.scope === 'device'));
    const siteStatuses = [...sites.values()];
    const worldChanged = this.devicesChanged || this.sitesChanged || appCulpritsChanged;

    const touched: string[] = [];
    for (const [id, part] of this.parts) {
      let reassign = part.dirty || appCulpritsChanged || stale;
      if (part.dirty || stale) part.estate = new Estate(part.members.map((e) => e.status));
      const estate = part.estate!;
      if (part.groupsDirty || stale || (part.fineUsed !== null && part.fineUsed !== fineElsewhere(id))) {
        const culprits = new Map<string, Cause>();
        let fineUsed: string | undefined | null = null;
        blameGroupsAndDevices(estate, culprits, (site) => (fineUsed = fineElsewhere(site)), options);
        part.culprits = culprits;
        part.fineUsed = fineUsed;
        reassign = true;
      }
      const site = estate.sites.get(id);
      if (part.dirty || worldChanged || stale) {
        const cause =
          site && siteMayBeBlamed(site, estate, options)
            ? blameSite(
                site,
                estate,
                () => devices().filter((d) => d.site !== id),
                () => siteStatuses.filter((s) => s.id !== id),
                appCulprits,
                options,
              )
            : undefined;
        if (!sameCause(cause, part.siteCause)) reassign = true;
        part.siteCause = cause;
      }
      part.dirty = false;
      part.groupsDirty = false;
      if (!reassign) continue;
      const local = part.culprits;
      const siteKey = `site:${id}`;
      const lookup = { get: (key: string) => local.get(key) ?? (key === siteKey ? part.siteCause : appCulprits.get(key)) };
      const causes = assign(estate, lookup, worstApp);
      for (const key of part.causes.keys()) if (!causes.has(key)) touched.push(key);
      for (const key of causes.keys()) touched.push(key);
      part.causes = causes;
    }
    this.devicesChanged = this.sitesChanged = this.appsChanged = false;

    if (stale) for (const key of this.verdicts.keys()) touched.push(key);
    const order = (key: string) => this.entries.get(key)!.seq;
    touched.sort((a, b) => order(a) - order(b));
    const changed = new Map<string, Cause | undefined>();
    for (const key of touched) {
      if (changed.has(key)) continue;
      const entry = this.entries.get(key)!;
      const cause = entry.part ? this.parts.get(entry.part)?.causes.get(key) : undefined;
      const had = this.verdicts.get(key);
      if (sameCause(had, cause)) continue;
      if (cause) this.verdicts.set(key, cause);
      else this.verdicts.delete(key);
      changed.set(key, cause);
    }
    return changed;
  }

  /** Every status with figures and a site that `keep` takes, in order of first sight. */
  private ordered(keep: (s: ScopeStatus) => boolean): ScopeStatus[] {
    const found: ScopeStatus[] = [];
    for (const { status } of this.entries.values()) if (hasData(status) && status.site && keep(status)) found.push(status);
    return found;
  }

  private runWholeEstate(): Map<string, Cause | undefined> {
    this.wholeEstateRuns++;
    this.partsStale = true;
    const verdicts = attribute([...this.entries.values()].map((e) => e.status), this.options);
    const changed = new Map<string, Cause | undefined>();
    for (const key of this.entries.keys()) {
      const cause = verdicts.get(key);
      if (!sameCause(this.verdicts.get(key), cause)) changed.set(key, cause);
    }
    for (const [key, cause] of changed) {
      if (cause) this.verdicts.set(key, cause);
      else this.verdicts.delete(key);
    }
    for (const part of this.parts.values()) part.causes = new Map();
    return changed;
  }

  private partFor(site: string): SitePart {
    let part = this.parts.get(site);
    if (!part) this.parts.set(site, (part = new SitePart()));
    return part;
  }

  /** Marks what a changed status makes stale: its site's part, and the runs' estate-wide inputs. */
  private touched(status: ScopeStatus, part: string | undefined, groups: boolean): void {
    if (part) {
      const site = this.partFor(part);
      site.dirty = true;
      if (groups || status.scope === 'device' || status.scope === 'ap' || status.scope === 'ward') site.groupsDirty = true;
    }
    if (status.scope === 'device') this.devicesChanged = true;
    else if (status.scope === 'site') this.sitesChanged = true;
    else if (status.scope === 'app') this.appsChanged = true;
  }

  /** Counts (sign +1) or uncounts (-1) what a status says about sites being tied together. */
  private tie(status: ScopeStatus, sign: 1 | -1): void {
    if (status.scope === 'ward' && status.site && status.key !== `ward:${status.site}/${status.ward}`) this.misfiledWards += sign;
    const ap = status.scope === 'ap' ? status.id : status.scope === 'device' ? status.ap : undefined;
    if (!ap || !status.site) return;
    let sites = this.apSites.get(ap);
    if (!sites) this.apSites.set(ap, (sites = new Map()));
    const spanned = sites.size > 1;
    const n = (sites.get(status.site) ?? 0) + sign;
    if (n === 0) sites.delete(status.site);
    else sites.set(status.site, n);
    if (sites.size === 0) this.apSites.delete(ap);
    this.apsAcrossSites += (sites.size > 1 ? 1 : 0) - (spanned ? 1 : 0);
  }
}

function insertBySeq(members: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (members[mid]!.seq < entry.seq) lo = mid + 1;
    else hi = mid;
  }
  members.splice(lo, 0, entry);
}
