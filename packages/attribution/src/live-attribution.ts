// Attribution kept up to date as statuses change, for a board that holds the latest status of every
// scope: it gives the causes attribute() would give over those statuses, re-judging only what changed.
//
// Rules 2 and 3 (access points, wards, devices) and the assignment of causes compare a scope only
// with the rest of its own site, so their results are kept per site and a site is judged again only
// when one of its statuses changed something they read (attributionInputChange). What is read across
// sites is kept cheap instead:
//   - rule 1 (applications) reads the application rows alone — a few per site — and runs again when
//     one of them changed;
//   - "the same applications are fine at n of m other sites" is a count over sites, made per run;
//   - rule 4 (a site's network) compares a degraded site's devices with every other site's: every
//     device's p95 and failure rate are kept sorted (a changed device moves its values, a window's
//     end sorts them afresh), and each site it may blame takes its own devices' values back out — a
//     pass over the estate's values per such site, no sort. A site's own name-resolution and gateway
//     figures, which move at every tick, re-run rule 4 without judging the site's groups again.
// An access point whose devices sit at more than one site, or a ward or site filed under another site
// than its key names, would tie sites together: then every run attributes the whole estate afresh.
import type { Cause, ScopeStatus } from '@wardwatch/schema';
import {
  assign,
  attribute,
  blameApplications,
  blameGroupsAndDevices,
  blameSite,
  DEFAULT_ATTRIBUTION,
  StatusGroups,
  failRate,
  fineAtOtherSites,
  hasData,
  outsideOf,
  pooledFailRate,
  siteAppsFine,
  siteMayBeBlamed,
  type AttributionOptions,
  type OutsideDevices,
} from './attribute.ts';
import { attributionInputChange } from './attribution-inputs.ts';
import { causesMoved, sameCause, type Attributor } from './attributor.ts';
import { SortedValues } from './sorted-values.ts';

interface Entry {
  status: ScopeStatus;
  /** Order of first sight: attribute() reads statuses in this order, and ties (the commonest culprit) follow it. */
  readonly seq: number;
  /** The site whose part holds it (the status's site when it was last set). */
  part: string | undefined;
  /** What it adds to the estate's device figures (rule 4): a device with figures' p95 and failure rate. */
  p95: number | null;
  fail: number | null;
}

class SitePart {
  /** Its statuses in order of first sight. */
  readonly members: Entry[] = [];
  /** Something rules 2-3 or the assignment read changed here since the last run. */
  dirty = true;
  /** A device, access point or ward here changed (rules 2 and 3 read nothing else of the site). */
  groupsDirty = true;
  estate: StatusGroups | undefined;
  /** Rules 2 and 3's culprits here. */
  culprits = new Map<string, Cause>();
  /** The "fine at other sites" line rules 2 and 3 used, or null when no group was blamed (so none was used). */
  fineUsed: string | undefined | null = null;
  siteCause: Cause | undefined;
  causes = new Map<string, Cause>();
}

/**
 * Past this many devices' figures changed since they were last read, they are sorted afresh rather
 * than moved one by one. A move shifts half the values (a memory move, fast per value), a sort costs
 * about log₂ n comparisons per value: at 40,000 devices a sort took as long as 300-500 moves
 * (8.7-9.3 ms against 18-28 µs a move, on the machine of docs/benchmarks.md).
 */
const movesBeforeResort = (devices: number) => Math.max(32, Math.round(20 * Math.log2(devices + 1)));

export class LiveAttribution implements Attributor {
  private readonly entries = new Map<string, Entry>();
  /** Entries by scope kind, in order of first sight (devices, sites and applications are read across sites). */
  private readonly byScope = new Map<ScopeStatus['scope'], Entry[]>();
  private readonly parts = new Map<string, SitePart>();
  private readonly verdicts = new Map<string, Cause>();
  private appCulprits = new Map<string, Cause>();
  /** Application rows and sites with figures, for rule 1 and the "fine at other sites" count. */
  private appEstate = new StatusGroups([]);
  private devicesChanged = true;
  private sitesChanged = true;
  private appsChanged = true;
  /** Every device with figures' p95 and failure rate, sorted; moved as devices change, or sorted afresh when `resort`. */
  private readonly p95s = new SortedValues();
  private readonly fails = new SortedValues();
  private figuresMoved = 0;
  private resort = true;
  /** Sites each access point's statuses name, to notice an access point spanning sites. */
  private readonly apSites = new Map<string, Map<string, number>>();
  private apsAcrossSites = 0;
  private misfiled = 0;
  /** Set after a whole-estate run: every part is judged again at the next run by parts. */
  private partsStale = false;
  /** How many runs judged the whole estate afresh (an access point or ward tying sites together). */
  wholeEstateRuns = 0;

  constructor(private readonly options: AttributionOptions = DEFAULT_ATTRIBUTION) {}

  set(status: ScopeStatus): void {
    const entry = this.entries.get(status.key);
    if (!entry) {
      const fresh: Entry = { status, seq: this.entries.size, part: status.site, p95: null, fail: null };
      this.entries.set(status.key, fresh);
      this.scopeList(status.scope).push(fresh);
      this.tie(status, 1);
      if (fresh.part) this.partFor(fresh.part).members.push(fresh);
      this.touched(status, fresh.part, true);
      this.figures(fresh);
      return;
    }
    const before = entry.status;
    entry.status = status;
    const change = attributionInputChange(before, status);
    if (change === undefined) return;
    this.figures(entry);
    if (change === 'site-network') {
      // Only rule 4 reads it, from the entry: the site's groups and its estate stand.
      this.sitesChanged = true;
      return;
    }
    if (before.scope !== status.scope || before.id !== status.id || before.site !== status.site || before.ward !== status.ward || before.ap !== status.ap) {
      this.tie(before, -1);
      this.tie(status, 1);
    }
    if (before.scope !== status.scope) {
      const old = this.scopeList(before.scope);
      old.splice(old.indexOf(entry), 1);
      insertBySeq(this.scopeList(status.scope), entry);
    }
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
    if (this.apsAcrossSites > 0 || this.misfiled > 0) return this.runWholeEstate();
    const stale = this.partsStale;
    this.partsStale = false;
    const options = this.options;

    // Rule 1 and the count of sites whose applications are fine: application rows and sites only.
    let appCulpritsChanged = stale;
    if (this.appsChanged || this.sitesChanged || stale) {
      this.appEstate = new StatusGroups(withFigures([...this.scopeList('app'), ...this.scopeList('site')].sort((a, b) => a.seq - b.seq)));
      if (this.appsChanged || stale) {
        const culprits = blameApplications(this.appEstate, options);
        if (!sameCulprits(culprits, this.appCulprits)) appCulpritsChanged = true;
        this.appCulprits = culprits;
      }
    }
    const appCulprits = this.appCulprits;
    const blamedApps = new Set(appCulprits.keys());
    const worstApp = appCulprits.values().next().value as Cause | undefined;
    const sites = this.appEstate.sites;
    const fineHere = (id: string) => sites.has(id) && siteAppsFine(this.appEstate.appsBySite.get(id) ?? [], blamedApps);
    // Sites with application figures: only they count either way (otherSitesFine).
    const reporting = (id: string) => sites.has(id) && (this.appEstate.appsBySite.get(id)?.length ?? 0) > 0;
    let fineSites = 0;
    let reportingSites = 0;
    for (const id of sites.keys()) {
      if (fineHere(id)) fineSites++;
      if (reporting(id)) reportingSites++;
    }
    const fineElsewhere = (id: string) => fineAtOtherSites(fineSites - (fineHere(id) ? 1 : 0), reportingSites - (reporting(id) ? 1 : 0));

    // Rule 4: each site it may blame against the devices and sites elsewhere.
    const allDevices = () => withFigures(this.scopeList('device'));
    let sorted = false;
    const elsewhere = (id: string, here: readonly ScopeStatus[]): OutsideDevices => {
      if (!sorted) this.sortFigures();
      sorted = true;
      const p95 = this.p95s.sample().without(present(here.map((d) => d.figures.p95Ms)));
      const fail = this.fails.sample().without(present(here.map(failRate)));
      if (!p95 || !fail) return outsideOf(allDevices().filter((d) => d.site !== id)); // never expected: the sorted figures lost track
      return { p95, fail, pooledFail: () => pooledFailRate(statusesWithFigures(this.scopeList('device')), id) };
    };
    const siteStatuses = [...sites.values()];
    const worldChanged = this.devicesChanged || this.sitesChanged || appCulpritsChanged;

    const touched: string[] = stale ? [...this.verdicts.keys()] : [];
    for (const [id, part] of this.parts) {
      let reassign = part.dirty || appCulpritsChanged || stale;
      if (part.dirty || stale) part.estate = new StatusGroups(part.members.map((e) => e.status));
      const estate = part.estate!;
      if (part.groupsDirty || stale || (part.fineUsed !== null && part.fineUsed !== fineElsewhere(id))) {
        const culprits = new Map<string, Cause>();
        let fineUsed: string | undefined | null = null;
        blameGroupsAndDevices(estate, culprits, (site) => (fineUsed = fineElsewhere(site)), options);
        part.culprits = culprits;
        part.fineUsed = fineUsed;
        reassign = true;
      }
      if (part.dirty || worldChanged || stale) {
        // The site's status as it is now (its network figures may have moved without its estate being rebuilt).
        const site = sites.get(id);
        const cause =
          site && siteMayBeBlamed(site, estate, options)
            ? blameSite(
                site,
                estate,
                () => elsewhere(id, estate.devicesBySite.get(id) ?? []),
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
      const causes = assign(estate, { get: (key) => local.get(key) ?? (key === siteKey ? part.siteCause : appCulprits.get(key)) }, worstApp);
      for (const key of part.causes.keys()) if (!causes.has(key)) touched.push(key);
      for (const key of causes.keys()) touched.push(key);
      part.causes = causes;
    }
    this.devicesChanged = this.sitesChanged = this.appsChanged = false;

    const order = (key: string) => this.entries.get(key)!.seq;
    touched.sort((a, b) => order(a) - order(b));
    const changed = new Map<string, Cause | undefined>();
    for (const key of touched) {
      const entry = this.entries.get(key)!;
      const cause = entry.part ? this.parts.get(entry.part)?.causes.get(key) : undefined;
      if (sameCause(this.verdicts.get(key), cause)) continue;
      if (cause) this.verdicts.set(key, cause);
      else this.verdicts.delete(key);
      changed.set(key, cause);
    }
    return changed;
  }

  private runWholeEstate(): Map<string, Cause | undefined> {
    this.wholeEstateRuns++;
    this.partsStale = true;
    const verdicts = attribute([...this.entries.values()].map((e) => e.status), this.options);
    const changed = causesMoved(this.entries.keys(), this.verdicts, verdicts);
    for (const [key, cause] of changed) {
      if (cause) this.verdicts.set(key, cause);
      else this.verdicts.delete(key);
    }
    return changed;
  }

  private scopeList(scope: ScopeStatus['scope']): Entry[] {
    let list = this.byScope.get(scope);
    if (!list) this.byScope.set(scope, (list = []));
    return list;
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

  /** Moves an entry's device figures in the sorted ones (or leaves them to be sorted afresh at the next run that needs them). */
  private figures(entry: Entry): void {
    const s = entry.status;
    const device = s.scope === 'device' && hasData(s) && !!s.site;
    const p95 = device && s.figures.p95Ms !== null && s.figures.p95Ms !== undefined ? s.figures.p95Ms : null;
    const fail = device ? failRate(s) : null;
    if (p95 === entry.p95 && fail === entry.fail) return;
    if (!this.resort) {
      if (++this.figuresMoved > movesBeforeResort(this.p95s.size)) this.resort = true;
      else {
        if (entry.p95 !== null && !this.p95s.remove(entry.p95)) this.resort = true;
        if (entry.fail !== null && !this.fails.remove(entry.fail)) this.resort = true;
        if (p95 !== null) this.p95s.insert(p95);
        if (fail !== null) this.fails.insert(fail);
      }
    }
    entry.p95 = p95;
    entry.fail = fail;
  }

  private sortFigures(): void {
    this.figuresMoved = 0;
    if (!this.resort) return;
    const p95s: number[] = [];
    const fails: number[] = [];
    for (const entry of this.scopeList('device')) {
      if (entry.p95 !== null) p95s.push(entry.p95);
      if (entry.fail !== null) fails.push(entry.fail);
    }
    this.p95s.reset(p95s);
    this.fails.reset(fails);
    this.resort = false;
  }

  /** Counts (sign +1) or uncounts (-1) what a status says about sites being tied together. */
  private tie(status: ScopeStatus, sign: 1 | -1): void {
    if (status.site && (status.scope === 'ward' || status.scope === 'site')) {
      const key = status.scope === 'ward' ? `ward:${status.site}/${status.ward}` : `site:${status.site}`;
      if (status.key !== key || (status.scope === 'site' && status.id !== status.site)) this.misfiled += sign;
    }
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

/** The statuses with figures and a site, as attribute()'s StatusGroups takes them, one at a time. */
function* statusesWithFigures(entries: readonly Entry[]): Generator<ScopeStatus> {
  for (const { status } of entries) if (hasData(status) && status.site) yield status;
}

/** The statuses with figures and a site, as attribute()'s StatusGroups takes them. */
function withFigures(entries: readonly Entry[]): ScopeStatus[] {
  const found: ScopeStatus[] = [];
  for (const { status } of entries) if (hasData(status) && status.site) found.push(status);
  return found;
}

function present(values: Array<number | null | undefined>): number[] {
  const found: number[] = [];
  for (const v of values) if (v !== null && v !== undefined) found.push(v);
  return found;
}

/** The same applications blamed, in the same order, with the same words (rule 1 runs first; its first culprit is the fallback cause). */
function sameCulprits(a: ReadonlyMap<string, Cause>, b: ReadonlyMap<string, Cause>): boolean {
  if (a.size !== b.size) return false;
  const others = b.values();
  for (const cause of a.values()) if (!sameCause(cause, others.next().value as Cause)) return false;
  return true;
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
