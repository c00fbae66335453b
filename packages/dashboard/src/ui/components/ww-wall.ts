// The wall screen (#/wall): full width, type readable across a room, the estate summary and the
// worst-first list always on screen, the rest of the estate as tiles paged automatically, a clock and
// the data's age, and the likely causes — a ward's access point or one device can be failing while
// every site is OK, and the desk should see it from across the room. The same filters as the grid
// apply, from the hash's query (#/wall?status=degraded).
import { LitElement, css, html, unsafeCSS } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ref } from 'lit/directives/ref.js';
import { capitalised, type CauseSummary, type Health, type SiteSummary, type StreamClock } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { CAUSE_KIND_WORD, causeName, CAUSES_SHOWN, felt, moreCausesText, plannedText } from '../markup/causes-markup.ts';
import { pagesAndMaintenanceText } from '../markup/site-markup.ts';
import { scopeAddress, siteAddress } from '../route.ts';
import { age, clockTime, isSiteStale, type EstateFreshness } from '../freshness.ts';
import { STATUS_LABEL } from '../format.ts';
import { siteViewStyles, tile, tileTooltip } from '../site-card.ts';
import { byConcern, filterSites, filterText, NO_FILTER, type SiteFilter } from '../site-filter.ts';
import { WALL_TYPE } from '../markup/styles.ts';
import { statusColours } from '../theme.ts';
import { wallReason } from '../wall-reason.ts';
import { WALL_TILE_GAP, wallTileLayout, wallTileProperties, type WallTileLayout } from '../wall-tiles.ts';

/** Time each page of tiles stays up before the next. */
export const WALL_PAGE_MS = 20_000;
/** The most sites the worst-first list draws; as many as fit whole are shown (at 1920×1080 seven fit, so a 4K wall about twenty). */
const WORST_LIMIT = 30;
/**
 * Likely causes listed while sites are in the worst-first list, which keeps the column's room: at
 * 1920×1080 with twenty sites down, three causes left two sites in view, two leave three. With no
 * site there, the grid's three (CAUSES_SHOWN).
 */
const WALL_CAUSES_BESIDE_WORST = 2;

/** " · 1 page (acknowledged) · planned maintenance until 13:00" after a worst-first line's status word, or ''. */
const afterWord = (site: SiteSummary): string => {
  const text = pagesAndMaintenanceText(site);
  return text && ` · ${text}`;
};

export class WwWall extends LitElement {
  static override properties = {
    sites: { attribute: false },
    clock: { attribute: false },
    freshness: { attribute: false },
    filter: { attribute: false },
    wallNow: { state: true },
    pageIndex: { state: true },
    area: { state: true },
    paused: { state: true },
    worstShown: { state: true },
  };
  declare sites: SiteSummary[];
  declare clock: StreamClock | undefined;
  declare freshness: EstateFreshness | undefined;
  declare filter: SiteFilter;
  declare wallNow: number;
  declare pageIndex: number;
  /** The tile area's size, px (measured): the tiles' scale and a page's size follow from it (wall-tiles.ts). */
  declare area: { width: number; height: number };
  declare paused: boolean;
  /** How many of the worst-first list's sites fit in it whole (measured: the rest are told as "more"). */
  declare worstShown: number;
  private readonly causes = new FetchController<CauseSummary[]>(this, 3000);
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastTurn = Date.now();
  private resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.sites = [];
    this.clock = undefined;
    this.freshness = undefined;
    this.filter = NO_FILTER;
    this.wallNow = Date.now();
    this.pageIndex = 0;
    this.area = { width: 1230, height: 860 };
    this.paused = false;
    this.worstShown = WORST_LIMIT;
    new LiveController(this, { sites: () => this.causes.load('api/causes') });
  }

  static override styles = [
    statusColours,
    siteViewStyles,
    css`
      /* Type grows with the screen (WALL_TYPE): the tiles grow by their own measure (wall-tiles.ts),
         and the counts, the worst-first list and the causes grew with nothing. The gaps and the first
         column's floor are in em, so the layout is the 1080p one, larger. */
      :host { display: grid; grid-template-columns: minmax(24em, 34%) minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); gap: 0.8em; height: 100%; box-sizing: border-box; padding: 0.6em 1em 0.8em; font-size: ${unsafeCSS(WALL_TYPE)}; color: var(--text); }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      .top { grid-column: 1 / span 2; display: flex; flex-wrap: wrap; align-items: center; gap: 12px 32px; }
      .counts { display: flex; gap: 24px; margin: 0; padding: 0; list-style: none; }
      .counts li { display: flex; align-items: baseline; gap: 8px; font-size: 1.3em; font-weight: 600; }
      .counts .n { font-size: 2.6em; font-weight: 800; font-variant-numeric: tabular-nums; }
      .counts [data-status='down'] .n { color: var(--down); }
      .counts [data-status='degraded'] .n { color: var(--degraded-text); }
      .counts [data-status='ok'] .n { color: var(--ok); }
      /* Stale: the counts and the causes are of figures no longer current, greyed as the tiles are. */
      :host([data-stale]) .counts .n { color: var(--muted); }
      :host([data-stale]) ul.causes a { border-left-color: var(--muted); background: none; border-style: dashed; }
      .time { margin-left: auto; text-align: right; }
      .clock { font-size: 2.6em; font-weight: 800; font-variant-numeric: tabular-nums; }
      .age { font-size: 1.1em; color: var(--muted); }
      .age[data-stale] { color: var(--stale-text); font-weight: 700; }
      section { display: flex; flex-direction: column; min-height: 0; background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 12px 16px; }
      h2 { font-size: 1.5em; margin: 0 0 10px; }
      ol.worst { position: relative; list-style: none; margin: 0; padding: 0; overflow: hidden; display: flex; flex-direction: column; gap: 8px; min-height: 0; flex: 1; }
      /* Hidden, not removed: the list keeps its layout, so what fits is measured the same each time (and out of reach of focus and screen readers). */
      ol.worst li[data-cut] { visibility: hidden; }
      ol.worst li a { display: grid; grid-template-columns: 2.2em 1fr; gap: 2px 10px; align-items: baseline; padding: 8px 10px; border-radius: 6px; color: inherit; text-decoration: none; border-left: 10px solid var(--unknown); background: var(--unknown-bg); }
      ol.worst li a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      ol.worst li a[data-status='down'] { border-left: 14px solid var(--down); background: var(--down-bg); }
      ol.worst li a[data-status='degraded'] { border-left: 10px double var(--degraded); background: var(--degraded-bg); }
      ol.worst li a[data-stale] { background: var(--stale-bg); border-left: 10px dashed var(--stale); color: var(--stale-text); }
      .icon { font-size: 1.6em; font-weight: 800; grid-row: span 2; }
      /* The name has the row to itself, on up to two lines: beside the status, cut to one line,
         "Riverside Community Hospital" read "Riv…". The status word leads the line under it. */
      .name { font-size: 1.5em; font-weight: 700; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
      /* The status and the reason's findings (wall-reason.ts) on up to two lines: cut to one, a site
         slow and failing read "availability 96.7 %; …", its slowness lost. */
      .line { font-size: 1.05em; color: #2c353e; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
      .word { font-size: 1.15em; font-weight: 700; color: var(--text); }
      a[data-stale] .line, a[data-stale] .word { color: var(--stale-text); }
      .more, .none { font-size: 1.1em; color: var(--muted); margin: 8px 0 0; }
      .more { min-height: 1.4em; }
      .left { display: flex; flex-direction: column; gap: 16px; min-height: 0; }
      .left > .worst-first { flex: 1; }
      ul.causes { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
      ul.causes a { display: block; padding: 4px 10px; border-left: 10px solid var(--degraded); border-radius: 6px; background: var(--degraded-bg); color: inherit; text-decoration: none; }
      ul.causes a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      /* Two lines, as the worst list's names: "access point 3c:a8:2a:00:00:51 on ward W01 at RXX06" cut to one lost where it is. */
      ul.causes .what { font-size: 1.1em; font-weight: 700; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
      ul.causes .felt { display: block; font-size: 0.95em; color: #2c353e; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .estate .bar { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; }
      .estate .bar h2 { margin: 0; }
      .estate .bar a.all { font-size: 1.1em; }
      .estate .bar .pages { margin-left: auto; font-size: 1.1em; color: var(--muted); }
      /* What the tiles' dark cap means, beside the tiles, while any shown site is in planned work. */
      .estate .bar .maintenance-key { font-size: 1.1em; font-weight: 600; display: inline-flex; align-items: center; gap: 8px; }
      .estate .bar .maintenance-key .cap { display: inline-block; width: 1.6em; height: 0.9em; background: #fff; border: 1px solid var(--border); box-shadow: inset 0 5px 0 var(--maintenance); }
      button { font: inherit; font-size: 1em; padding: 4px 12px; border: 1px solid #6b737b; border-radius: 4px; background: #fff; color: var(--text); cursor: pointer; }
      button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      .area { flex: 1; min-height: 0; overflow: hidden; }
      ul.tiles { gap: ${WALL_TILE_GAP}px; grid-template-columns: repeat(var(--tile-columns), var(--tile-w)); }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.causes.load('api/causes');
    this.ticker = setInterval(() => {
      this.wallNow = Date.now();
      if (!this.paused && this.wallNow - this.lastTurn >= WALL_PAGE_MS) this.turn(1);
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  protected override firstUpdated(): void {
    const area = this.renderRoot.querySelector('.area') as HTMLElement;
    this.resizeObserver = new ResizeObserver(() => {
      if (area.clientWidth !== this.area.width || area.clientHeight !== this.area.height) this.area = { width: area.clientWidth, height: area.clientHeight };
      this.measureWorst();
    });
    this.resizeObserver.observe(area);
    this.resizeObserver.observe(this.renderRoot.querySelector('ol.worst')!);
  }

  protected override updated(): void {
    this.measureWorst();
  }

  private measureWorst(): void {
    // The list's sites that fit in it whole: one cut at the screen's edge is hidden and counted with
    // the rest in "and N more", so that the sites shown and that count always add up to the list's.
    // The line of "more" is always there (empty or not), so counting never changes the list's height.
    const list = this.renderRoot.querySelector('ol.worst') as HTMLElement | null;
    if (!list) return;
    const bottom = list.getBoundingClientRect().bottom;
    const items = [...list.children] as HTMLElement[];
    const whole = items.findIndex((li) => li.getBoundingClientRect().bottom > bottom + 0.5);
    const fits = whole < 0 ? WORST_LIMIT : whole;
    if (fits !== this.worstShown) this.worstShown = fits;
  }

  private tileLayout(sites: number) {
    return wallTileLayout(sites, this.area.width, this.area.height);
  }

  private turn(step: number): void {
    this.lastTurn = Date.now();
    const count = filterSites(this.sites, this.filter).length;
    const pages = Math.max(1, Math.ceil(count / this.tileLayout(count).perPage));
    this.pageIndex = (this.pageIndex + step + pages) % pages;
  }

  protected override willUpdate(): void {
    this.toggleAttribute('data-stale', this.freshness?.stale ?? false);
  }

  override render() {
    const shown = filterSites(this.sites, this.filter).sort(byConcern);
    // A filtered wall says so where it counts the sites: left on a filtered link it must not pass for the estate.
    const filtered = filterText(this.filter);
    const counts: Record<Health, number> = { down: 0, degraded: 0, unknown: 0, ok: 0 };
    for (const s of shown) counts[s.status]++;
    const estateStale = this.freshness?.stale ?? false;
    const stale = (s: SiteSummary) => estateStale || isSiteStale(s, this.clock);
    const worst = shown.filter((s) => s.status === 'down' || s.status === 'degraded' || (s.alerts?.page ?? 0) > 0);
    const inMaintenance = shown.filter((s) => (s.maintenance?.length ?? 0) > 0).length;
    const shownWorst = Math.min(worst.length, this.worstShown);
    // The tiles as large as the estate allows on one page (a dozen sites read across a room), filling
    // the area; a large estate pages.
    const layout = this.tileLayout(shown.length);
    const { perPage } = layout;
    const pages = Math.max(1, Math.ceil(shown.length / perPage));
    const pageIndex = Math.min(this.pageIndex, pages - 1);
    const page = shown.slice(pageIndex * perPage, (pageIndex + 1) * perPage);
    const asOf = this.clock?.asOf ?? Math.max(0, ...shown.map((s) => s.asOf));
    const dataAge = this.clock && asOf > 0 ? this.clock.now - asOf : null;
    return html`
      <div class="top">
        <h2 class="sr">${filtered ? `Wall view of the sites matching ${filtered}` : 'Wall view of every site'}</h2>
        <ul class="counts" aria-label="Sites by status">
          ${(['down', 'degraded', 'unknown', 'ok'] as const).map(
            (s) => html`<li data-status=${s}><span class="n">${counts[s]}</span><span><span aria-hidden="true">${STATUS_LABEL[s].icon}</span> ${STATUS_LABEL[s].word}</span></li>`,
          )}
        </ul>
        <div class="time">
          <div class="clock" role="timer" aria-label="Time now">${clockTime(this.wallNow)}</div>
          <div class="age" ?data-stale=${estateStale}>
            ${estateStale ? html`Stale — ${this.freshness?.why}` : asOf > 0 ? html`Data as of ${clockTime(asOf)}${dataAge !== null ? ` · ${age(dataAge)} old` : ''}` : 'No data yet'}
          </div>
        </div>
      </div>
      <div class="left">
      <section class="worst-first" aria-labelledby="worst-h">
        <h2 id="worst-h">Worst first (${worst.length})</h2>
        ${worst.length === 0 ? html`<p class="none">${filtered ? `No site matching ${filtered} is down, degraded or paging.` : 'No site is down, degraded or paging.'}</p>` : ''}
        <ol class="worst">
          ${worst.slice(0, WORST_LIMIT).map(
            (s, i) => html`<li ?data-cut=${i >= this.worstShown}><a href="#/sites/${encodeURIComponent(s.id)}" data-site=${s.id} data-status=${s.status} ?data-stale=${stale(s)}>
              <span class="icon" aria-hidden="true">${stale(s) ? '○' : STATUS_LABEL[s.status].icon}</span>
              <span class="name">${s.name} <small>${s.id}</small></span>
              <span class="line" title=${s.reason}><span class="word">${stale(s) ? `Stale · was ${STATUS_LABEL[s.status].word}` : STATUS_LABEL[s.status].word}${afterWord(s)}</span> — <span class="why" aria-hidden="true">${wallReason(s.reason)}</span><span class="sr">${s.reason}</span></span>
            </a></li>`,
          )}
        </ol>
        <p class="more">${worst.length > shownWorst ? `and ${worst.length - shownWorst} more in the estate view` : ''}</p>
      </section>
      ${this.renderCauses(shown, worst.length > 0 ? WALL_CAUSES_BESIDE_WORST : CAUSES_SHOWN)}
      </div>
      <section class="estate" aria-labelledby="estate-h" data-scale=${layout.scale} ${ref(tileSizes(layout))}>
        <div class="bar">
          ${filtered
            ? html`<h2 id="estate-h" data-filtered>Sites matching ${filtered} (${shown.length} of ${this.sites.length})</h2><a class="all" href="#/wall">Show every site</a>`
            : html`<h2 id="estate-h">All sites (${shown.length})</h2>`}
          ${inMaintenance > 0 ? html`<span class="maintenance-key"><span class="cap" aria-hidden="true"></span>${inMaintenance} in planned maintenance</span>` : ''}
          <span class="pages" aria-live="off">Page ${pageIndex + 1} of ${pages}</span>
          <button type="button" @click=${() => this.turn(-1)} aria-label="Previous page">◀</button>
          <button type="button" @click=${() => (this.paused = !this.paused)} aria-pressed=${this.paused ? 'true' : 'false'}>${this.paused ? 'Resume' : 'Pause'}</button>
          <button type="button" @click=${() => this.turn(1)} aria-label="Next page">▶</button>
        </div>
        <div class="area"><ul class="tiles" aria-label="Sites, page ${pageIndex + 1} of ${pages}" @pointerover=${tileTooltip}>${repeat(page, (s) => s.id, (s) => tile({ site: s, clock: this.clock, stale: stale(s) }))}</ul></div>
      </section>
    `;
  }

  /**
   * The likely causes behind the sites shown (the filter's: a cause at another trust's site is not
   * this wall's), the widest-felt first as the grid lists them, `limit` of them: what each blames and
   * how widely it is felt, each a link to the culprit's page; none, no section.
   */
  private renderCauses(shown: readonly SiteSummary[], limit: number) {
    const ids = new Set(shown.map((s) => s.id));
    const causes = (this.causes.value ?? []).filter((c) => c.siteIds.length === 0 || c.siteIds.some((id) => ids.has(id)));
    if (causes.length === 0) return '';
    const more = moreCausesText(causes, limit);
    return html`<section class="causes" aria-labelledby="causes-h">
      <h2 id="causes-h">Likely causes (${causes.length})</h2>
      <ul class="causes">
        ${causes.slice(0, limit).map((c) => wallCauseItem(c, plannedText(c)))}
      </ul>
      ${more ? html`<p class="more causes-more">${more} · <a href="#/devices">Degraded devices</a></p>` : ''}
    </section>`;
  }
}
customElements.define('ww-wall', WwWall);

/** One cause beside the worst-first list; `planned`, its plannedText (worked out once a cause). */
const wallCauseItem = (c: CauseSummary, planned: string) =>
  html`<li><a href=${scopeAddress(c.culprit) ?? (c.siteIds[0] ? siteAddress(c.siteIds[0]) : '#/devices')} data-culprit=${c.culprit} title=${c.evidence} ?data-maintenance=${planned !== ''}>
    <span class="what">${CAUSE_KIND_WORD[c.kind]} — ${causeName(c)}</span>
    <span class="felt">${planned ? html`<strong>${capitalised(planned)}</strong> · ` : ''}felt by ${felt(c)}</span>
  </a></li>`;

/**
 * Sets the tiles' sizes through the CSSOM: the Content-Security-Policy refuses style attributes (as
 * ww-slos's bars).
 */
function tileSizes(layout: WallTileLayout) {
  return (element?: Element) => {
    if (!element) return;
    const style = (element as HTMLElement).style;
    for (const [name, value] of wallTileProperties(layout)) style.setProperty(name, value);
  };
}
