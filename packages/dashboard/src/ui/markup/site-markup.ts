// A site's tile and card as the grid draws them, described without Lit: the words (labels, ages,
// alert counts) and the attributes a tile carries are computed here once, and used by the Lit
// templates (site-card.ts) and by the server's first frame (first-frame.ts), which writes the same
// markup as text. Every value written as text is escaped here: site names and reasons are data.
import { capitalised, shareText, type SiteSummary, type StreamClock } from '@wardwatch/schema';
import { appP95Text, dateTimeMedium, hourMinute, logonP95Text, STATUS_LABEL, type P95Text } from '../format.ts';
import { age, clockTime, siteAgeMs } from '../freshness.ts';

export interface SiteView {
  site: SiteSummary;
  clock: StreamClock | undefined;
  /** This site's figures (or the whole page's) are too old to be shown as current. */
  stale: boolean;
}

/** Text for HTML: element content and double- or single-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const ageText = ({ site, clock }: SiteView, coarse = false): string => {
  const ms = siteAgeMs(site, clock);
  if (site.asOf <= 0) return 'no figures yet';
  if (ms === null) return `as of ${clockTime(site.asOf)}`;
  // Tiles say their age by the minute: a thousand labels then change once a minute, not every second.
  if (coarse) return ms < 60_000 ? 'under a minute old' : `${age(ms - (ms % 60_000))} old`;
  return `as of ${clockTime(site.asOf)} · ${age(ms)} old`;
};

export const alertsText = (site: SiteSummary): string => {
  const a = site.alerts;
  if (!a || a.page + a.ticket === 0) return '';
  // Acknowledged ones are someone's already: the desk sees that without opening the alerts page — by
  // severity, so that an acknowledged ticket never reads as a page in hand.
  // Those planned work holds (a maintenance window or a maintenance silence) are said apart: booked
  // work, not someone on it.
  const parts = [];
  if (a.page) parts.push(pagesText(a));
  if (a.ticket) {
    const tickets = heldText((a.acknowledged ?? 0) - (a.acknowledgedPages ?? 0), (a.planned ?? 0) - (a.plannedPages ?? 0), a.ticket);
    parts.push(`${a.ticket} ticket${a.ticket === 1 ? '' : 's'}${tickets}`);
  }
  return parts.join(', ');
};

/** A site's pages as the card and the wall's line count them: "2 pages (1 acknowledged)", or '' when none. */
export function pagesText(a: SiteSummary['alerts']): string {
  return a && a.page > 0 ? `${a.page} page${a.page === 1 ? '' : 's'}${heldText(a.acknowledgedPages ?? 0, a.plannedPages ?? 0, a.page)}` : '';
}

/**
 * The maintenance windows open at the site, as its card, tile and wall line say them: "planned
 * maintenance until 13:00 (Core switch)", several joined by "; " — or '' when none. Planned work
 * explains a status, it does not change it: the status stays what the figures earn.
 */
export const maintenanceText = (site: SiteSummary): string => {
  const until = maintenanceUntilText(site);
  return until && `${until} (${site.maintenance!.map((w) => w.title).join('; ')})`;
};

/**
 * "planned maintenance until 13:00" (the last of the open windows to close; its date too, "until 2 Dec
 * 2026, 06:00", when that window is a day long or more), without the titles: the wall's line.
 */
export const maintenanceUntilText = (site: SiteSummary): string => {
  const windows = site.maintenance ?? [];
  if (windows.length === 0) return '';
  const last = windows.reduce((a, b) => (b.end > a.end ? b : a));
  return `planned maintenance until ${last.end - last.start < DAY_MS ? hourMinute(last.end) : dateTimeMedium(last.end)}`;
};
const DAY_MS = 86_400_000;

/**
 * The wall's line after the status word: the pages and the open maintenance window, "1 page
 * (acknowledged) · planned maintenance until 13:00" — or, when the window's work holds every page,
 * one phrase, "1 page held for planned maintenance until 13:00", not "1 page (planned maintenance) ·
 * planned maintenance until 13:00". '' when neither.
 */
export function pagesAndMaintenanceText(site: SiteSummary): string {
  const a = site.alerts;
  const pages = a?.page ?? 0;
  const until = maintenanceUntilText(site);
  if (pages > 0 && until && (a!.plannedPages ?? 0) >= pages) return `${pages} page${pages === 1 ? '' : 's'} held for ${until}`;
  return [pagesText(a), until].filter(Boolean).join(' · ');
}

/**
 * What holds `count` alerts' notifications, as the alerts page says it of each: " (acknowledged)" or
 * " (planned maintenance)" when all are held alike, " (2 acknowledged, 1 in planned maintenance)" when
 * some, "" when none.
 */
export const heldText = (acknowledged: number, planned: number, count: number): string => {
  if (acknowledged >= count && acknowledged > 0) return ' (acknowledged)';
  if (planned >= count && planned > 0) return ' (planned maintenance)';
  const parts = [];
  if (acknowledged > 0) parts.push(`${acknowledged} acknowledged`);
  if (planned > 0) parts.push(`${planned} in planned maintenance`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
};

/**
 * The accessible name of a tile: code, name, status (or stale), reason, alerts, age. It begins with
 * the code the tile shows, as a word of its own: a voice-control user says what they see ("click
 * RXX08"), and a name holding it only in brackets, "Ashby Vale … (RXX08)", does not contain the
 * visible text as WCAG 2.5.3 (label in name) reads it.
 */
export function tileLabel(view: SiteView): string {
  const { site } = view;
  const word = STATUS_LABEL[site.status]?.word ?? 'Unknown';
  const alerts = alertsText(site);
  return [site.name && site.name !== site.id ? `${site.id}, ${site.name}` : site.id, view.stale ? `stale, last ${word}` : word, maintenanceText(site), site.status !== 'ok' && site.reason ? site.reason : '', alerts ? `alerts: ${alerts}` : '', ageText(view, true)]
    .filter(Boolean)
    .join(' — ');
}

/** What a tile carries: one link with the status glyph and the site's code as its text, its status and age in attributes. */
export interface TileParts {
  href: string;
  site: string;
  /**
   * The link's one text: the status's glyph (○ when stale), a thin space (about the 4 px the glyph's
   * margin was: a word space is wider, and clipped the bold codes on the wall) and the site's code. The
   * glyph is text, not a ::before box: a thousand pseudo-elements cost ~10 ms of style, layout and
   * paint in the first frame (docs/benchmarks.md). The accessible name is the label, so the glyph is
   * not read out.
   */
  text: string;
  status: string;
  stale: boolean;
  /** A page-severity alert fires on the site. */
  paging: boolean;
  /** A recorded maintenance window is open at the site (a dark cap across the tile's top, as the uptime strip's). */
  maintenance: boolean;
  label: string;
  /** How many steps smaller the tile draws its code ('' none, '1'–'3'; styles.ts a.tile[data-long]): codeShrink. */
  long: '' | '1' | '2' | '3';
}

/**
 * A code's width in ems, roughly, in a bold sans-serif: W ~1.13, M ~1, other capitals ~0.78, digits
 * (tabular) ~0.7, lower case ~0.65, the rest ~0.45 (DejaVu Sans Bold, Debian's system-ui: "RXX01"
 * 3.7 em, "RWWWH", Warrington Hospital's ODS code, 5 em).
 */
export function codeEms(code: string): number {
  let ems = 0;
  for (const c of code) ems += c === 'W' ? 1.13 : c === 'M' ? 1 : c >= 'A' && c <= 'Z' ? 0.78 : c >= '0' && c <= '9' ? 0.7 : c >= 'a' && c <= 'z' ? 0.65 : 0.45;
  return ems;
}

/**
 * A tile's `long` for a site code (tileParts): a five-character code of capitals and digits is drawn
 * at the tile's size; wider codes a step smaller for each ~0.7 em past that (the width of one more
 * character), three steps at most; past those the tile ends the code with an ellipsis.
 */
export function codeShrink(code: string): TileParts['long'] {
  const ems = codeEms(code);
  return ems <= 3.9 ? '' : ems <= 4.6 ? '1' : ems <= 5.3 ? '2' : '3';
}

export function tileParts(view: SiteView): TileParts {
  const { site } = view;
  const glyph = view.stale ? '○' : (STATUS_LABEL[site.status] ?? STATUS_LABEL.unknown).icon;
  return { href: `#/sites/${encodeURIComponent(site.id)}`, site: site.id, text: `${glyph}\u2009${site.id}`, status: site.status, stale: view.stale, paging: (site.alerts?.page ?? 0) > 0, maintenance: (site.maintenance?.length ?? 0) > 0, label: tileLabel(view), long: codeShrink(site.id) };
}

/**
 * A tile's link as HTML text: the markup of site-card.ts's `tile`, attribute for attribute (its tooltip
 * is given on hover: site-card.ts tileTooltip); the list item around it is the list's (tile-runs.ts).
 */
export function tileHtml(view: SiteView): string {
  const t = tileParts(view);
  const label = escapeHtml(t.label);
  return `<a class="tile" href="${escapeHtml(t.href)}" data-site="${escapeHtml(t.site)}" data-status="${escapeHtml(t.status)}"${t.stale ? ' data-stale=""' : ''}${t.paging ? ' data-paging=""' : ''}${t.maintenance ? ' data-maintenance=""' : ''}${t.long ? ` data-long="${t.long}"` : ''} aria-label="${label}">${escapeHtml(t.text)}</a>`;
}

/** A status badge as HTML text: what ww-status-badge draws in its shadow root, in a box styled as its host. */
export function badgeHtml(status: SiteSummary['status'], stale: boolean): string {
  const label = STATUS_LABEL[status] ?? STATUS_LABEL.unknown;
  const inner = stale
    ? `<span class="badge stale ${escapeHtml(status)}-was"><span aria-hidden="true">○</span>Stale · was ${label.word}</span>`
    : `<span class="badge ${escapeHtml(status)}"><span aria-hidden="true">${label.icon}</span>${label.word}</span>`;
  return `<span class="badge-host">${inner}</span>`;
}

/**
 * A site's application and logon p95 as its card and page write them: with the count beside a p95 of
 * few values, or of one slow value the status rules did not judge on (format.ts's `appP95`). A card
 * sets the note under the figure, in small type (`p95Html`; the live card writes the same with lit).
 */
export const siteAppP95 = (site: SiteSummary): P95Text => appP95Text(site.p95Ms, site.appChecks, site.slowAppChecks);
export const siteLogonP95 = (site: SiteSummary): P95Text => logonP95Text(site.logonP95Ms, site.logons ?? LOTS, site.slowLogons);
/** A board before the site summaries carried logons: their count unknown, shown bare as before. */
const LOTS = Number.MAX_SAFE_INTEGER;
const p95Html = ({ value, note }: P95Text): string => `${escapeHtml(value)}${note === undefined ? '' : ` <small>(${escapeHtml(note)})</small>`}`;

/** A card as HTML text: the markup of site-card.ts's `card` (its badge drawn in place). */
export function cardHtml(view: SiteView): string {
  const { site, stale } = view;
  const alerts = alertsText(site);
  const maintenance = maintenanceText(site);
  const id = escapeHtml(site.id);
  const ids = `${site.id}${site.type ? ` · ${site.type}` : ''}${site.area ? ` · ${site.area}` : ''}`;
  return `<li><a class="card" href="#/sites/${escapeHtml(encodeURIComponent(site.id))}" data-status="${escapeHtml(site.status)}" data-site="${id}"${stale ? ' data-stale=""' : ''}>`
    + `<div class="head"><div><h4>${escapeHtml(site.name)}</h4><span class="id">${escapeHtml(ids)}</span></div>${badgeHtml(site.status, stale)}</div>`
    + `<dl><div><dt>App p95</dt><dd>${p95Html(siteAppP95(site))}</dd></div><div><dt>Availability</dt><dd>${shareText(site.availability)}</dd></div><div><dt>Logon p95</dt><dd>${p95Html(siteLogonP95(site))}</dd></div></dl>`
    + (maintenance ? `<p class="maintenance">${escapeHtml(capitalised(maintenance))}</p>` : '')
    + (site.status !== 'ok' && site.reason ? `<p class="reason">${escapeHtml(site.reason)}</p>` : '')
    + (site.status !== 'ok' && site.cause ? `<p class="cause" data-cause="${escapeHtml(site.cause.kind)}"><strong>Likely cause:</strong> ${escapeHtml(site.cause.summary)}</p>` : '')
    + `<p class="foot">${alerts ? `<span class="alerts" data-page="${site.alerts?.page ?? 0}" data-ticket="${site.alerts?.ticket ?? 0}">Alerts: ${escapeHtml(alerts)}</span>` : ''}<span class="age">${stale ? 'Stale · ' : ''}${escapeHtml(ageText(view))}</span></p>`
    + `</a></li>`;
}
