// One truth for planned work: a maintenance window a trust has recorded (an annotation of kind
// maintenance) marks its sites on every screen (maintenance-now.ts) and holds their alerts'
// notifications while it is open, as a silence does — the desk is not paged for what the wall says
// was booked. The alerts still fire and are recorded; each names the window in `silencedBy`, and
// GET /api/alerts lists the windows beside the silences.
import type { Annotation, SloAlert } from '@wardwatch/schema';
import type { AlertHolds } from '@wardwatch/slo';
import { trustOfScope } from './auth/trust-gate.ts';
import { isMaintenanceAt, type MaintenanceNow } from './maintenance-now.ts';
import type { StatusBoard } from './status-board.ts';

export interface MaintenanceHolds extends AlertHolds {
  /** Once the windows are as fresh as MaintenanceNow keeps them (an evaluation waits for it: MaintenanceNow.settled). */
  settled(): Promise<void>;
  /** The windows open at `now` that can hold an alert (at a site, or across a trust), the soonest to close first. */
  windows(now: number): Annotation[];
}

/**
 * Which window holds an alert: one at its site, or across its site's trust, for a site's alert; for an
 * alert over the whole estate (the "trust" target, an application across every site), one across the
 * trust when every site is of that trust — a window at one trust of several does not hold the others'.
 */
export function maintenanceHolds(maintenance: MaintenanceNow, board: Pick<StatusBoard, 'get' | 'siteSummary' | 'sites'>): MaintenanceHolds {
  const windows = (now: number) => maintenance.openAt(now).filter((w) => w.scope === 'trust' || w.scope.startsWith('site:'));
  return {
    settled: () => maintenance.settled(),
    windows,
    heldBy(alert: Pick<SloAlert, 'scope'>, now: number): string | null {
      const open = windows(now);
      if (open.length === 0) return null;
      if (alert.scope.startsWith('site:')) {
        const trust = trustOfScope(board, alert.scope);
        const site = alert.scope.slice('site:'.length);
        return trust === undefined ? null : (open.find((w) => isMaintenanceAt(w, trust, site))?.id ?? null);
      }
      const trustWide = open.filter((w) => w.scope === 'trust');
      if (trustWide.length === 0) return null;
      const trusts = new Set(board.sites().map((s) => s.trust));
      const [only] = trusts;
      return trusts.size === 1 ? (trustWide.find((w) => w.trust === only)?.id ?? null) : null;
    },
  };
}
