// The site grid: search and filters (status, trust, site type, area), grouping (status, trust, type,
// area), then cards when few sites are shown and a heat map of tiles — with the sites needing
// attention as cards above it — when many are.
import { LitElement, css, html, unsafeCSS } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Health, SiteSummary, StreamClock } from '@wardwatch/schema';
import { isSiteStale } from '../freshness.ts';
import { STATUS_LABEL } from '../format.ts';
import { card, siteViewStyles, tile, tileTooltip } from '../site-card.ts';
import { ATTENTION_LIMIT, CARD_LIMIT, choices, filterSites, GROUPINGS, groupSites, needsAttention, NO_FILTER, STATUSES_WORST_FIRST, type Grouping, type SiteFilter } from '../site-filter.ts';
import { statusColours } from '../theme.ts';
import { SITE_GRID_CSS } from '../markup/styles.ts';
import './ww-causes.ts';
import './ww-status-badge.ts';

export { CARD_LIMIT } from '../site-filter.ts';
const STATUSES = STATUSES_WORST_FIRST;

export class WwSiteGrid extends LitElement {
  static override properties = {
    sites: { attribute: false },
    clock: { attribute: false },
    stale: { type: Boolean },
    filter: { attribute: false },
    group: { attribute: false },
  };
  declare sites: SiteSummary[];
  declare clock: StreamClock | undefined;
  /** The whole page's data is stale (stream down, processor lagging). */
  declare stale: boolean;
  declare filter: SiteFilter;
  declare group: Grouping;

  constructor() {
    super();
    this.sites = [];
    this.clock = undefined;
    this.stale = false;
    this.filter = NO_FILTER;
    this.group = 'status';
  }

  static override styles = [
    statusColours,
    siteViewStyles,
    css`
      :host { display: block; }
      ${unsafeCSS(SITE_GRID_CSS)}
    `,
  ];

  private setFilter(patch: Partial<SiteFilter>): void {
    this.filter = { ...this.filter, ...patch };
    this.dispatchEvent(new CustomEvent('filter-change', { detail: { filter: this.filter, group: this.group }, bubbles: true, composed: true }));
  }

  private toggleStatus(status: Health, on: boolean): void {
    const statuses = on ? [...this.filter.statuses, status] : this.filter.statuses.filter((s) => s !== status);
    this.setFilter({ statuses: STATUSES.filter((s) => statuses.includes(s)) });
  }

  private select(field: 'trust' | 'type' | 'area', label: string, values: string[]) {
    if (values.length === 0 && this.filter[field] === '') return '';
    // A value from the address that no site has is listed and chosen, so the list says why the grid is
    // empty and "All" is a change that clears it (the list read "All" over no sites, and choosing
    // "All" again changed nothing).
    // Label and list side by side, tied by id: a label wrapped round a select would take the options'
    // words into its name ("Site type All Acute hospital Clinic…").
    return html`<div class="field"><label for="filter-${field}">${label}</label>
      <select id="filter-${field}" data-filter=${field} @change=${(e: Event) => this.setFilter({ [field]: (e.target as HTMLSelectElement).value })}>
        <option value="" ?selected=${this.filter[field] === ''}>All</option>
        ${values.map((v) => html`<option value=${v} ?selected=${this.filter[field] === v}>${v}</option>`)}
        ${this.filter[field] !== '' && !values.includes(this.filter[field]) ? html`<option value=${this.filter[field]} selected>${this.filter[field]} (no such ${label.toLowerCase()})</option>` : ''}
      </select></div>`;
  }

  private controls(types: string[], areas: string[]) {
    const missing = [types.length === 0 ? 'site type' : '', areas.length === 0 ? 'area' : ''].filter(Boolean);
    return html`<form role="search" aria-label="Find sites" @submit=${(e: Event) => e.preventDefault()}>
      <label>Search sites
        <input type="search" name="q" placeholder="Name or code" .value=${this.filter.query} @input=${(e: Event) => this.setFilter({ query: (e.target as HTMLInputElement).value })} />
      </label>
      <fieldset>
        <legend>Status</legend>
        ${STATUSES.map(
          (s) => html`<label><input type="checkbox" name="status" value=${s} .checked=${this.filter.statuses.includes(s)} @change=${(e: Event) => this.toggleStatus(s, (e.target as HTMLInputElement).checked)} /><span aria-hidden="true">${STATUS_LABEL[s].icon}</span> ${STATUS_LABEL[s].word}</label>`,
        )}
      </fieldset>
      ${this.select('trust', 'Trust', choices(this.sites, 'trust'))}
      ${this.select('type', 'Site type', types)}
      ${this.select('area', 'Area', areas)}
      <div class="field"><label for="filter-group">Group by</label>
        <select id="filter-group" data-filter="group" @change=${(e: Event) => {
          this.group = (e.target as HTMLSelectElement).value as Grouping;
          this.setFilter({});
        }}>
          ${GROUPINGS.map((g) => html`<option value=${g} ?selected=${this.group === g}>${g === 'type' ? 'site type' : g}</option>`)}
        </select></div>
      ${missing.length > 0 ? html`<p class="missing">${missing.join(' and ')}: not recorded in the site directory</p>` : ''}
    </form>`;
  }

  override render() {
    if (this.sites.length === 0) return html`<p class="empty">Waiting for the first figures…</p>`;
    const types = choices(this.sites, 'type');
    const areas = choices(this.sites, 'area');
    const shown = filterSites(this.sites, this.filter);
    const groups = groupSites(shown, this.group);
    const view = (site: SiteSummary) => ({ site, clock: this.clock, stale: this.stale || isSiteStale(site, this.clock) });
    const asCards = shown.length <= CARD_LIMIT;
    const attention = asCards ? [] : shown.filter(needsAttention);
    return html`<ww-causes></ww-causes>
      ${this.controls(types, areas)}
      <p class="shown" role="status">Showing ${shown.length} of ${this.sites.length} sites${asCards ? '' : ' as a heat map: one tile per site, worst first'}.</p>
      ${attention.length > 0
        ? html`<h3 class="attention">Needs attention (${attention.length})</h3>
            <ul class="cards" aria-label="Sites needing attention">${attention.slice(0, ATTENTION_LIMIT).map((s) => card(view(s)))}</ul>
            ${attention.length > ATTENTION_LIMIT ? html`<p class="more">${attention.length - ATTENTION_LIMIT} more in the heat map below.</p>` : ''}`
        : ''}
      ${shown.length === 0 ? html`<p class="empty">No site matches these filters.</p>` : ''}
      ${repeat(
        groups,
        (g) => g.key,
        (g) => html`<section data-group=${g.key}>
          <h3 class="group">${g.label} <span class="n">${g.sites.length} site${g.sites.length === 1 ? '' : 's'}${this.group === 'status' ? '' : ` · ${g.counts.down} down · ${g.counts.degraded} degraded`}</span></h3>
          ${asCards
            ? html`<ul class="cards" aria-label="${g.label} sites">${g.sites.map((s) => card(view(s)))}</ul>`
            : html`<ul class="tiles" aria-label="${g.label} sites" @pointerover=${tileTooltip}>${repeat(g.sites, (s) => s.id, (s) => tile(view(s)))}</ul>`}
        </section>`,
      )}`;
  }
}
customElements.define('ww-site-grid', WwSiteGrid);
