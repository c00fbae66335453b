// The grid's "Likely causes" panel described without Lit: its words are worked out here once, for the
// Lit template (ww-causes) and for the server's first frame (first-frame.ts), which writes the same
// markup as text — so the panel is on the page from its first paint and taking over moves nothing.
import { countText, type CauseSummary } from '@wardwatch/schema';
import { siteAddress } from '../route.ts';
import { escapeHtml } from './site-markup.ts';

export const CAUSE_KIND_WORD: Record<CauseSummary['kind'], string> = { network: '⌁ Network', device: '▣ Device', application: '◆ Application' };

/** What a cause blames, without its kind ("site RXX03" from "network: site RXX03"). */
export const causeName = (c: { summary: string }): string => c.summary.replace(/^[a-z]+: /, '');

/** "1 site, 8 wards, 16 access points, 1,280 devices, 4 site applications". */
export function felt(c: CauseSummary): string {
  const parts: string[] = [];
  const { sites, wards, accessPoints, devices, applications } = c.affected;
  const n = (k: number, one: string) => `${countText(k)} ${one}${k === 1 ? '' : 's'}`;
  if (sites) parts.push(n(sites, 'site'));
  if (wards) parts.push(n(wards, 'ward'));
  if (accessPoints) parts.push(n(accessPoints, 'access point'));
  if (devices) parts.push(n(devices, 'device'));
  if (applications) parts.push(n(applications, 'site application'));
  return parts.join(', ');
}

/**
 * Whether the booked work may be the cause: "in planned maintenance" when every site it is felt at is
 * (a window recorded at the site or across its trust, as the site's card says), "RXX03, RXX05 in
 * planned maintenance" when some are, "" when none.
 */
export function plannedText(c: CauseSummary): string {
  const planned = c.maintenance ?? [];
  if (planned.length === 0) return '';
  return planned.length >= c.siteIds.length ? 'in planned maintenance' : `${planned.join(', ')} in planned maintenance`;
}

/**
 * How many causes the panel lists: the widest-felt (the server sends them so), each in two lines, so
 * that a large estate with a device at fault here and there does not push the grid below the fold (at
 * 1920×1080 with 1,000 sites, five causes in three lines each left no tile on the first screen). The
 * rest are counted, with a link to the degraded devices.
 */
export const CAUSES_SHOWN = 3;

/** "and 12 more likely causes (9 of them devices at fault on their own)" past the first `shown`, or "" when all are shown. */
export function moreCausesText(causes: readonly CauseSummary[], shown = CAUSES_SHOWN): string {
  const rest = causes.slice(shown);
  if (rest.length === 0) return '';
  const devices = rest.filter((c) => c.kind === 'device').length;
  return `and ${countText(rest.length)} more likely cause${rest.length === 1 ? '' : 's'}${devices > 0 ? ` (${devices === rest.length ? (rest.length === 1 ? 'a device' : 'all devices') : `${countText(devices)} of them devices`} at fault on ${devices === 1 ? 'its' : 'their'} own)` : ''}`;
}

const siteLink = (id: string) => `<a href="${escapeHtml(siteAddress(id))}">${escapeHtml(id)}</a>`;

/** The panel as ww-causes renders it (nothing when no cause is found). */
export function causesHtml(causes: readonly CauseSummary[]): string {
  if (causes.length === 0) return '';
  const more = moreCausesText(causes);
  return `<section aria-labelledby="causes-heading"><h2 id="causes-heading">Likely causes</h2><ul>${causes
    .slice(0, CAUSES_SHOWN)
    .map((c) => {
      const planned = plannedText(c);
      return `<li data-culprit="${escapeHtml(c.culprit)}" data-cause="${escapeHtml(c.kind)}"${planned ? ' data-maintenance' : ''}><span class="kind">${CAUSE_KIND_WORD[c.kind]}</span>${escapeHtml(causeName(c))}`
        + `${planned ? `<span class="planned"> · ${escapeHtml(planned)}</span>` : ''}`
        + `<span class="felt"> · felt by ${escapeHtml(felt(c))}${c.siteIds.length ? ` · ${c.siteIds.map(siteLink).join(', ')}` : ''}</span>`
        + `<p class="evidence" title="${escapeHtml(c.evidence)}">${escapeHtml(c.evidence)}</p></li>`;
    })
    .join('')}</ul>${more ? `<p class="more">${escapeHtml(more)} · <a href="#/devices">Degraded devices</a></p>` : ''}</section>`;
}
