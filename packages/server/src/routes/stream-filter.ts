// Which `status` events a page subscribes to on /api/stream (?statuses=): a page showing the site grid
// needs none, a site page only its site's scopes, the degraded-devices page only devices.
import { SCOPE_KINDS, type ScopeStatus } from '@wardwatch/schema';

export type StatusFilter = (status: ScopeStatus) => boolean;

/** The filter for a ?statuses= value, or the message for a value that is not one. */
export function parseStatusFilter(param: string | undefined): StatusFilter | string {
  if (param === undefined || param === '' || param === 'all') return () => true;
  if (param === 'none') return () => false;
  if (param.startsWith('site:') && param.length > 'site:'.length) {
    const site = param.slice('site:'.length);
    return (s) => s.site === site;
  }
  if (param.startsWith('kind:')) {
    const kind = param.slice('kind:'.length);
    if ((SCOPE_KINDS as readonly string[]).includes(kind)) return (s) => s.scope === kind;
  }
  return `statuses must be all, none, site:<site id> or kind:<${SCOPE_KINDS.join('|')}>; got "${param}"`;
}
