// What the live streams share: one subscription to the board, each change's SSE frames built and
// encoded once per view (trusts × ?statuses=) rather than once per connection, the site list once per
// trust and interval, and turns on the event loop so a thousand streams woken by one change write a
// few at a time with requests (/healthz, the API) served between them.
import type { ScopeStatus, SiteSummary } from '@wardwatch/schema';
import type { StatusBoard } from '../status-board.ts';
import type { TrustScope } from '../auth/trust-scope.ts';
import { siteChanges } from './site-changes.ts';
import type { StatusFilter } from './stream-filter.ts';

/** Streams that write in one turn of the event loop after a change (see turn()). */
const STREAMS_PER_TURN = 10;

const encoder = new TextEncoder();

/** One SSE event, encoded. Frames carry no `id:`: the server does not resume from Last-Event-ID (a reconnecting page is sent the whole list again). */
export function sseFrame(event: string, data: string): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${data}\n\n`);
}

/** What a stream shows: its caller's trusts and the status events its page asked for. */
export interface StreamView {
  /** Same key, same frames: the trusts and the ?statuses= value. */
  key: string;
  trusts: TrustScope;
  wanted: StatusFilter;
}

/** The statuses one `applyAll` on the board delivered. */
export class StatusBatch {
  /** Statuses whose state, reason or cause changed: the `status` events. */
  readonly changed: ScopeStatus[] = [];
  /** Trusts of the sites whose figures arrived (changed or not): their site lists are due. */
  readonly siteTrusts = new Set<string>();
  private readonly frames = new Map<string, Uint8Array | null>();

  constructor(private readonly json: (status: ScopeStatus) => string) {}

  /** The `status` events of this batch a view shows, as one encoded chunk; null when it shows none. */
  framesFor(view: StreamView): Uint8Array | null {
    let frame = this.frames.get(view.key);
    if (frame === undefined) {
      let text = '';
      for (const status of this.changed) if (view.trusts.sees(status.trust) && view.wanted(status)) text += `event: status\ndata: ${this.json(status)}\n\n`;
      frame = text ? encoder.encode(text) : null;
      this.frames.set(view.key, frame);
    }
    return frame;
  }

  movesSitesOf(trusts: TrustScope): boolean {
    for (const trust of this.siteTrusts) if (trusts.sees(trust)) return true;
    return false;
  }
}

/** A trust's site list at one moment, with its `sites` frame and the `sites-changed` frames from earlier lists. */
export class SiteList {
  private whole: Uint8Array | undefined;
  private jsonById: Map<string, string> | undefined;
  private readonly changesFrom = new WeakMap<SiteList, Uint8Array | null>();

  constructor(
    readonly sites: readonly SiteSummary[],
    readonly version: number,
    readonly at: number,
  ) {}

  wholeFrame(): Uint8Array {
    return (this.whole ??= sseFrame('sites', JSON.stringify(this.sites)));
  }

  /** The fields that moved since `earlier`, for every stream that was last sent `earlier`; null when nothing moved. */
  changesSince(earlier: SiteList): Uint8Array | null {
    let frame = this.changesFrom.get(earlier);
    if (frame === undefined) {
      const changes = siteChanges(new Map(earlier.byId()), this.sites);
      frame = changes.length > 0 ? sseFrame('sites-changed', JSON.stringify(changes)) : null;
      this.changesFrom.set(earlier, frame);
    }
    return frame;
  }

  private byId(): Map<string, string> {
    return (this.jsonById ??= new Map(this.sites.map((site) => [site.id, JSON.stringify(site)])));
  }
}

export class StreamBroadcast {
  private version = 0;
  private open: StatusBatch | undefined;
  private readonly listeners = new Set<(batch: StatusBatch) => void>();
  private readonly lists = new Map<string, SiteList>();
  private asOfCache = { version: -1, asOf: 0 };
  private readonly waiting: Array<() => void> = [];
  private releasing = false;
  // Each status object is serialised once, whichever views show it.
  private readonly statusJson = new WeakMap<ScopeStatus, string>();

  constructor(
    private readonly board: StatusBoard,
    /** The site summaries as the API gives them (alerts merged), before trust filtering. */
    private readonly allSites: () => SiteSummary[],
    /** Alerts move without a status change: a list is rebuilt after at most this long. */
    private readonly listMaxAgeMs: number,
  ) {
    board.subscribe((status, changed) => this.collect(status, changed));
    // Live edges move sites' time without a status: their trusts' site lists are due.
    board.subscribeTime((trusts) => this.sitesMoved(trusts));
  }

  /** Something on the site summaries of these trusts moved without a status (a live edge, a maintenance window): their lists are due. */
  sitesMoved(trusts: Iterable<string>): void {
    const batch = this.batch();
    for (const trust of trusts) batch.siteTrusts.add(trust);
  }

  /** Tells `listener` of each batch of the board's statuses, once the batch is complete. */
  subscribe(listener: (batch: StatusBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The site list a trust scope sees, shared by every stream of those trusts until the board moves or it ages. */
  siteList(trusts: TrustScope, trustKey: string): SiteList {
    const cached = this.lists.get(trustKey);
    const now = Date.now();
    if (cached && cached.version === this.version && now - cached.at < this.listMaxAgeMs) return cached;
    const list = new SiteList(
      this.allSites().filter((s) => trusts.sees(s.trust)),
      this.version,
      now,
    );
    this.lists.set(trustKey, list);
    return list;
  }

  /** The newest figures' time; the board walks every scope for it, so once per change, not once per stream. */
  asOf(): number {
    if (this.asOfCache.version !== this.version) this.asOfCache = { version: this.version, asOf: this.board.asOf() };
    return this.asOfCache.asOf;
  }

  /** Resolves on a later turn of the event loop, a few streams per turn, in the order they asked. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.releasing) {
        this.releasing = true;
        setImmediate(this.release);
      }
    });
  }

  private readonly release = () => {
    for (const resume of this.waiting.splice(0, STREAMS_PER_TURN)) resume();
    if (this.waiting.length > 0) setImmediate(this.release);
    else this.releasing = false;
  };

  // The board calls its listeners once per status of an applyAll, synchronously: the batch closes in a
  // microtask after the last of them, so a change on 200 sites is one batch and one wake per stream.
  private collect(status: ScopeStatus, changed: boolean): void {
    const batch = this.batch();
    if (changed) batch.changed.push(status);
    if (status.scope === 'site') batch.siteTrusts.add(status.trust);
  }

  /** The batch being gathered (the board moved: version moves with it). */
  private batch(): StatusBatch {
    this.version++;
    if (!this.open) {
      this.open = new StatusBatch(this.json);
      queueMicrotask(this.deliver);
    }
    return this.open;
  }

  private readonly deliver = () => {
    const batch = this.open!;
    this.open = undefined;
    for (const listener of this.listeners) listener(batch);
  };

  private readonly json = (status: ScopeStatus) => {
    let text = this.statusJson.get(status);
    if (text === undefined) this.statusJson.set(status, (text = JSON.stringify(status)));
    return text;
  };
}
