// The dashboard shell: header with the live-connection state and who is signed in, and hash routing
// between the site grid, a site page, a ward / access point / device page, the degraded devices, the
// alerts, the service levels and the evidence pack. The grid and the wall are in the bundle; the other
// pages are loaded when first shown (pages.ts).
import { LitElement, css, html, unsafeCSS } from 'lit';
import { APP_HEADER_CSS, APP_MAIN_CSS, WALL_TYPE } from '../markup/styles.ts';
import type { SiteSummary, StreamClock } from '@wardwatch/schema';
import { LiveController } from '../controllers/live-controller.ts';
import { liveStream } from '../live-stream.ts';
import { HORIZON_WORDS, time } from '../format.ts';
import { announceChanges } from '../announce.ts';
import { estateFreshness, OFFLINE_GRACE_MS, OFFLINE_TICK_MS } from '../freshness.ts';
import { filterFromQuery, filterToQuery, type Grouping, type SiteFilter } from '../site-filter.ts';
import { reuseUnchanged } from '../site-merge.ts';
import { isLazyPage, loadPages, preloadPages } from '../pages.ts';
import { FIRST_FRAME_CLASS, FIRST_FRAME_DATA_ID } from '../markup/first-frame.ts';
import { firstFrameData } from '../first-frame-data.ts';
import { parseRoute, type Route } from '../route.ts';
import './ww-account.ts';
import './ww-site-grid.ts';
import './ww-wall.ts';

/** How long the stream waits for the fetched site list to be drawn before it opens anyway. */
const FIRST_DRAW_WAIT_MS = 3000;

export class WwApp extends LitElement {
  static override properties = { sites: { state: true }, connected: { state: true }, route: { state: true }, announcement: { state: true }, clock: { state: true }, pageError: { state: true } };
  declare sites: SiteSummary[];
  /** The server's clock as last heard on the stream (for the figures' ages). */
  declare clock: StreamClock | undefined;
  /** When the stream was lost (browser time), while it is. */
  private disconnectedAt: number | undefined;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private shownRoute = '';
  declare connected: boolean;
  declare route: Route;
  declare announcement: string;
  /** The page shown could not be loaded: why, for the page's place. */
  declare pageError: string;
  private pagesPreloaded = false;
  private readonly onHash = () => (this.route = parseRoute(location.hash));

  constructor() {
    super();
    this.sites = [];
    this.connected = false;
    this.route = parseRoute(location.hash);
    this.announcement = '';
    this.pageError = '';
    // The server's first frame is on screen: its list and clock are drawn in this task, before the
    // next frame, so the grid the app draws replaces the one painted with no gap and no shift.
    const first = firstFrameData();
    if (first) {
      this.clock = first.clock;
      this.clockHeardAt = Date.now();
      this.receive(first.sites);
    }
    new LiveController(this, {
      sites: (sites) => this.receive(sites),
      clock: (clock) => {
        this.clock = clock;
        this.clockHeardAt = Date.now();
      },
      connection: (connected) => this.setConnected(connected),
    });
  }

  static override styles = css`
    ${unsafeCSS(APP_HEADER_CSS)}
    :host { display: flex; flex-direction: column; min-height: 100vh; }
    :host([data-wall]) { height: 100vh; }
    /* On the wall, a banner saying the figures are stale or sites silent reads across the room, as the wall does. */
    :host([data-wall]) .banner { font-size: ${unsafeCSS(WALL_TYPE)}; }
    /* The bar above the wall grows with it: its size on every page (15 px) at 1920×1080, twice that on 4K. */
    :host([data-wall]) header { font-size: calc(0.75 * ${unsafeCSS(WALL_TYPE)}); }
    ${unsafeCSS(APP_MAIN_CSS)}
    main.wall { max-width: none; padding: 0; flex: 1 1 0; min-height: 0; display: flex; }
    main.wall > * { flex: 1; min-width: 0; }
    main:focus, main h2:focus { outline: none; }
    .skip { position: absolute; left: 8px; top: -60px; z-index: 10; padding: 8px 12px; font: inherit; background: #fff; color: #0b5cad; border: 3px solid #d4610a; border-radius: 4px; cursor: pointer; }
    .skip:focus { top: 8px; }
  `;

  override connectedCallback(): void {
    // The list came with the page (its first frame), or index.html preloads this answer. The stream
    // opens once the list is drawn (or after a few seconds without it): its first message repeats
    // the list, and need not compete with drawing it.
    const listed: Promise<unknown> =
      this.sites.length > 0
        ? Promise.resolve()
        : fetch('api/sites')
            .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
            .then((sites: SiteSummary[]) => {
              if (this.sites.length === 0) this.receive(sites);
            });
    const drawn = listed.then(async () => {
      await this.updateComplete;
      // After the frame that shows it.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    });
    liveStream.hold(Promise.race([drawn, new Promise((resolve) => setTimeout(resolve, FIRST_DRAW_WAIT_MS))]));
    drawn.catch(() => {});
    // Held first: connecting the controllers subscribes to the stream.
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
  }

  /** The first frame is hidden behind the shadow root from the moment it was attached: its nodes go. */
  protected override firstUpdated(): void {
    for (const node of this.querySelectorAll(`:scope > .${FIRST_FRAME_CLASS}`)) node.remove();
    document.getElementById(FIRST_FRAME_DATA_ID)?.remove();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.offlineTick);
    window.removeEventListener('hashchange', this.onHash);
  }

  /** Whether the stream has ever been live on this page: until then it is connecting, not offline. */
  private everConnected = false;

  /** Browser time the server's clock was last heard. */
  private clockHeardAt = 0;
  /** While offline: redraws, so the figures' ages go on growing with no clock from the server. */
  private offlineTick: ReturnType<typeof setInterval> | undefined;

  /**
   * The server's clock as the page should reckon ages by: as last heard while the stream is up; while
   * it is down, moved on by the browser's time since (the server's stopped coming), so a card says
   * "3 min old" three minutes after the server stopped, not "0 s old" for as long as it stays down.
   */
  private reckonedClock(now: number): StreamClock | undefined {
    if (!this.clock || this.connected || this.clockHeardAt === 0) return this.clock;
    return { ...this.clock, now: this.clock.now + Math.max(0, now - this.clockHeardAt) };
  }

  private setConnected(connected: boolean): void {
    // Lost after having been live: the page greys out once the grace for a reconnect has passed.
    if (!connected && this.connected) {
      this.disconnectedAt = Date.now();
      clearTimeout(this.offlineTimer);
      this.offlineTimer = setTimeout(() => this.requestUpdate(), OFFLINE_GRACE_MS + 50);
      clearInterval(this.offlineTick);
      this.offlineTick = setInterval(() => this.requestUpdate(), OFFLINE_TICK_MS);
    }
    if (connected) {
      clearInterval(this.offlineTick);
      this.offlineTick = undefined;
      this.disconnectedAt = undefined;
      this.everConnected = true;
    }
    this.connected = connected;
  }

  /** A filter changed on the grid: kept in the hash's query, so a wall screen or a link can carry it. */
  private onFilter(event: CustomEvent<{ filter: SiteFilter; group: Grouping }>): void {
    const query = filterToQuery(event.detail.filter, event.detail.group);
    const path = this.route.page === 'wall' ? '#/wall' : '#/';
    history.replaceState(null, '', query ? `${path}?${query}` : path);
    this.route = { page: this.route.page === 'wall' ? 'wall' : 'grid', query };
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    this.toggleAttribute('data-wall', this.route.page === 'wall');
    if (changed.has('route')) {
      this.pageError = '';
      const page = this.route.page;
      if (isLazyPage(page)) {
        loadPages().catch((error: Error) => {
          if (this.route.page === page) this.pageError = `This page could not be loaded (${error.message}). Reload to try again.`;
        });
      }
    }
  }

  /** After navigation: the new page's heading takes focus and names the document. */
  protected override async updated(): Promise<void> {
    // A new page, not a new filter on the same one (typing in the search box keeps its focus).
    const key = JSON.stringify({ ...this.route, query: undefined });
    if (key === this.shownRoute) return;
    const first = this.shownRoute === '';
    this.shownRoute = key;
    const page = this.renderRoot.querySelector('main')?.firstElementChild as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
    await page?.updateComplete;
    const find = () => (this.renderRoot.querySelector('main h2') ?? page?.shadowRoot?.querySelector('h2')) as HTMLElement | null;
    // A page that loads its data first shows its heading once it has it: wait for it a little.
    let heading = find();
    for (let waited = 0; !heading && waited < 5000 && this.shownRoute === key; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      heading = find();
    }
    if (this.shownRoute !== key) return;
    const title = heading?.textContent?.replace(/\s+/g, ' ').trim();
    document.title = title ? `${title} — wardwatch` : 'wardwatch';
    if (first) return;
    const target = heading ?? (this.renderRoot.querySelector('main') as HTMLElement);
    if (heading) heading.tabIndex = -1;
    target.focus();
    // A page that swaps its loading template for the loaded one replaces the heading focused: focus
    // follows to the new heading unless the user has moved on.
    for (let waited = 0; heading && waited < 5000 && this.shownRoute === key; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (heading.isConnected) continue;
      if (document.activeElement !== document.body && document.activeElement !== this) return;
      if (this.shadowRoot?.activeElement && this.shadowRoot.activeElement !== page) return;
      heading = find();
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  private receive(received: SiteSummary[]): void {
    const sites = reuseUnchanged(this.sites, received);
    if (sites === this.sites) return;
    const before = new Map(this.sites.map((s) => [s.id, s.status]));
    const changed = sites.filter((s) => before.has(s.id) && before.get(s.id) !== s.status);
    if (changed.length > 0) {
      this.announcement = announceChanges(changed);
    }
    this.sites = sites;
    if (!this.pagesPreloaded && sites.length > 0) {
      this.pagesPreloaded = true;
      // After the grid's first frame: the other pages' code does not compete with it.
      void this.updateComplete.then(() => requestAnimationFrame(() => preloadPages()));
    }
  }

  override render() {
    const trust = this.sites[0]?.trust ?? '';
    const asOf = Math.max(0, ...this.sites.map((s) => s.asOf));
    const counts = { degraded: 0, down: 0 };
    for (const s of this.sites) if (s.status === 'degraded' || s.status === 'down') counts[s.status]++;
    const wallNow = Date.now();
    const clock = this.reckonedClock(wallNow);
    const freshness = estateFreshness({ sites: this.sites, clock, connected: this.connected, disconnectedAt: this.disconnectedAt, wallNow });
    return html`
      <header>
        <button type="button" class="skip" @click=${() => (this.renderRoot.querySelector('main') as HTMLElement).focus()}>Skip to content</button>
        <h1><a href="#/">wardwatch</a></h1>
        <span class="trust">${trust}</span>
        <nav aria-label="Main">
          <a href="#/">Sites</a>
          <a href="#/wall">Wall</a>
          <a href="#/devices">Degraded devices</a>
          <a href="#/alerts">Alerts</a>
          <a href="#/slos">SLOs</a>
          <a href="#/evidence">Evidence</a>
          <span class="live" ?data-connected=${this.connected} title="Live updates">
            <span class="dot" aria-hidden="true"></span>${this.connected ? 'Live' : this.everConnected ? 'Offline' : 'Connecting'} · ${time(asOf)}
          </span>
          <ww-account></ww-account>
        </nav>
      </header>
      <div class="sr" aria-live="polite">${this.announcement}</div>
      ${freshness.stale
        ? html`<p class="banner" role="alert" data-stale-banner>○ Figures are stale — ${freshness.why}
            <small>Cards are greyed until fresh figures arrive.${freshness.silentSites > 0 ? ` ${freshness.silentSites} site(s) have sent nothing for over 3 min.` : ''}</small></p>`
        : freshness.silentSites > 0
          ? html`<p class="banner" role="status" data-silent-banner>○ ${freshness.silentSites} site(s) have sent no telemetry for over 3 min: their cards are greyed.</p>`
          : ''}
      <main id="main" tabindex="-1" class=${this.route.page === 'wall' ? 'wall' : this.route.page === 'grid' ? 'wide' : ''}>${this.page(counts, freshness, clock)}</main>
    `;
  }

  private page(counts: { degraded: number; down: number }, freshness: ReturnType<typeof estateFreshness>, clock: StreamClock | undefined) {
    if (this.pageError) return html`<h2>Page not loaded</h2><p role="alert">${this.pageError}</p>`;
    switch (this.route.page) {
      case 'site':
        return html`<ww-site-page site-id=${this.route.id} ?stale=${freshness.stale}></ww-site-page>`;
      case 'scope':
        return html`<ww-scope-page scope-key=${this.route.key} ?stale=${freshness.stale}></ww-scope-page>`;
      case 'devices':
        return html`<ww-device-list></ww-device-list>`;
      case 'alerts':
        return html`<ww-alerts .sites=${this.sites}></ww-alerts>`;
      case 'slos':
        return html`<ww-slos .sites=${this.sites}></ww-slos>`;
      case 'evidence':
        return html`<ww-evidence trust=${this.sites[0]?.trust ?? ''} month=${this.route.month}></ww-evidence>`;
      case 'not-found':
        return html`<h2>Page not found</h2>
          <p class="not-found">There is no page at <code>${this.route.hash}</code>. The sites are at <a href="#/">All sites</a>; the pages are in the menu above.</p>`;
      case 'wall':
        return html`<ww-wall .sites=${this.sites} .clock=${clock} .freshness=${freshness} .filter=${filterFromQuery(this.route.query).filter}></ww-wall>`;
      default:
        return html`<h2 class="sr">Sites</h2>
          <p class="summary">${this.sites.length} sites · ${counts.down} down · ${counts.degraded} degraded · figures over ${HORIZON_WORDS}</p>
          <ww-site-grid .sites=${this.sites} .clock=${clock} ?stale=${freshness.stale} .filter=${filterFromQuery(this.route.query).filter}
            .group=${filterFromQuery(this.route.query).group} @filter-change=${this.onFilter}></ww-site-grid>`;
    }
  }
}
// With the server's first frame in the page, the app is defined — and so draws — once that frame has
// been painted (a frame, then a task), not in the same turn as the page was parsed: the browser may
// otherwise hold the first paint until the app's own grid is drawn, a thousand tiles later.
if (document.getElementById(FIRST_FRAME_DATA_ID)) requestAnimationFrame(() => setTimeout(() => customElements.define('ww-app', WwApp), 0));
else customElements.define('ww-app', WwApp);
