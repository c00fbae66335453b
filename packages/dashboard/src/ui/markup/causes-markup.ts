// The grid's "Likely causes" panel described without Lit: its words are worked out here once, for the
// Lit template (ww-causes) and for the server's first frame (first-frame.ts), which writes the same
// markup as text — so the panel is on the page from its first paint and taking over moves nothing.
import type { CauseSummary } from '@wardwatch/schema';
import { count } from '../format.ts';
import { escapeHtml } from './site-markup.ts';

export const CAUSE_KIND_WORD: Record<CauseSummary['kind'], string> = { network: '⌁ Network', device: '▣ Device', application: '◆ Application' };

/** What a cause blames, without its kind ("site RXX03" from "network: site RXX03"). */
export const causeName = (c: { summary: string }): string => c.summary.replace(/^[a-z]+: /, '');

/** "1 site, 8 wards, 16 access points, 1,280 devices, 4 site applications". */
export function felt(c: CauseSummary): string {
  const parts: string[] = [];
  const { sites, wards, accessPoints, devices, applications } = c.affected;
  const n = (k: number, one: string) => `${count(k)} ${one}${k === 1 ? '' : 's'}`;
  if (sites) parts.push(n(sites, 'site'));
  if (wards) parts.push(n(wards, 'ward'));
  if (accessPoints) parts.push(n(accessPoints, 'access point'));
  if (devices) parts.push(n(devices, 'device'));
  if (applications) parts.push(n(applications, 'site application'));
  return parts.join(', ');
}

const siteLink = (id: string) => `<a href="#/sites/${escapeHtml(encodeURIComponent(id))}">${escapeHtml(id)}</a>`;

/** The panel as ww-causes renders it (nothing when no cause is found). */
export function causesHtml(causes: readonly CauseSummary[]): string {
  if (causes.length === 0) return '';
  return `<section aria-labelledby="causes-heading"><h2 id="causes-heading">Likely causes</h2><ul>${causes
    .map(
      (c) => `<li data-culprit="${escapeHtml(c.culprit)}" data-cause="${escapeHtml(c.kind)}"><span class="kind">${CAUSE_KIND_WORD[c.kind]}</span>${escapeHtml(causeName(c))}`
        + `<p class="evidence">${escapeHtml(c.evidence)}</p>`
        + `<p class="felt">Felt by ${escapeHtml(felt(c))}${c.siteIds.length ? ` · ${c.siteIds.map(siteLink).join(', ')}` : ''}</p></li>`,
    )
    .join('')}</ul></section>`;
}
