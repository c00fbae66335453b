// What the live region says when sites change status: each site by name when a few change, a
// summary by status when many do (a screen reader should not read out forty names at once).
import type { SiteSummary } from '@wardwatch/schema';
import { STATUS_LABEL } from './format.ts';

/** Up to this many changes are named one by one. */
export const NAMED_CHANGES = 3;

export function announceChanges(changed: readonly SiteSummary[]): string {
  if (changed.length === 0) return '';
  if (changed.length <= NAMED_CHANGES) return changed.map((s) => `${s.name} is now ${STATUS_LABEL[s.status].word}`).join('. ');
  const by = new Map<string, number>();
  for (const s of changed) by.set(STATUS_LABEL[s.status].word, (by.get(STATUS_LABEL[s.status].word) ?? 0) + 1);
  const parts = ['Down', 'Degraded', 'Unknown', 'OK'].filter((w) => by.has(w)).map((w) => `${by.get(w)} now ${w}`);
  return `${changed.length} sites changed status: ${parts.join(', ')}`;
}
