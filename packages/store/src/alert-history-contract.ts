// What every AlertHistoryStore must do, run against SQLite and PostgreSQL alike (beside the store
// contract). Not exported from the package entry: it imports vitest.
import { describe, expect, it } from 'vitest';
import { openedStores } from './opened-stores.fixture.ts';
import type { SloAlert } from '@wardwatch/schema';
import type { AlertHistoryStore } from './alert-history-store.ts';
import type { RollupStore } from './rollup-store.ts';

const T0 = Date.UTC(2026, 9, 10, 9, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function alert(overrides: Partial<SloAlert> = {}): SloAlert {
  return {
    fingerprint: 'f000000000000001', slo: 'app-availability', scope: 'app:epr', severity: 'page', status: 'firing',
    indicator: 'availability', objective: 0.995, startsAt: T0, endsAt: null, updatedAt: T0, rules: [], errorBudgetRemaining: 0.8,
    summary: 'checks failing 20 × faster than the budget allows', silencedBy: null, notifiedAt: T0, assignment: null, ...overrides,
  };
}

type Store = RollupStore & AlertHistoryStore & { dispose?: () => Promise<void> };

export function describeAlertHistoryContract(name: string, open: () => Promise<Store>, reopen?: (store: Store) => Promise<Store>): void {
  describe(`${name}: alert history`, () => {
    const { fresh, adopt } = openedStores(open);

    it('keeps an alert from firing to resolved: one row per fingerprint and start, the last record kept', async () => {
      const store = await fresh();
      const firing = alert();
      await store.recordAlert(firing);
      expect(await store.openAlerts()).toEqual([firing]);
      const resolved = { ...firing, status: 'resolved' as const, endsAt: T0 + 2 * HOUR, updatedAt: T0 + 2 * HOUR, errorBudgetRemaining: 0.6 };
      await store.recordAlert(resolved);
      expect(await store.openAlerts()).toEqual([]);
      expect(await store.alertHistory({ from: T0 - DAY, to: T0 + DAY })).toEqual([resolved]);
      // The same alert firing again later is another incident.
      const again = alert({ startsAt: T0 + 5 * HOUR, updatedAt: T0 + 5 * HOUR });
      await store.recordAlert(again);
      expect(await store.alertHistory({ from: T0 - DAY, to: T0 + DAY })).toEqual([resolved, again]);
      expect(await store.openAlerts()).toEqual([again]);
    });

    it('finds the alerts firing at any time in a period: started before its end, not resolved by its start', async () => {
      const store = await fresh();
      const before = alert({ fingerprint: 'f1', startsAt: T0 - 3 * DAY, endsAt: T0 - 2 * DAY, status: 'resolved' });
      const across = alert({ fingerprint: 'f2', startsAt: T0 - DAY, endsAt: T0 + HOUR, status: 'resolved' });
      const inside = alert({ fingerprint: 'f3', startsAt: T0 + 2 * HOUR, endsAt: T0 + 3 * HOUR, status: 'resolved' });
      const open = alert({ fingerprint: 'f4', startsAt: T0 - 10 * DAY });
      const after = alert({ fingerprint: 'f5', startsAt: T0 + DAY });
      for (const a of [after, inside, open, across, before]) await store.recordAlert(a);
      expect(await store.alertHistory({ from: T0, to: T0 + DAY })).toEqual([open, across, inside]);
      // Resolved exactly at the period's start: over before it began; firing from its end: not in it.
      expect((await store.alertHistory({ from: T0 - 2 * DAY, to: T0 - DAY })).map((a) => a.fingerprint)).toEqual(['f4']);
    });

    it('prunes resolved alerts past the history\'s retention (400 days), never open ones', async () => {
      const store = await fresh();
      const now = T0 + 500 * DAY;
      await store.recordAlert(alert({ fingerprint: 'old', endsAt: T0 + HOUR, status: 'resolved' }));
      await store.recordAlert(alert({ fingerprint: 'recent', startsAt: now - 10 * DAY, endsAt: now - 9 * DAY, status: 'resolved' }));
      await store.recordAlert(alert({ fingerprint: 'open' }));
      expect(await store.prune(now, { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 400 * DAY })).toBe(1);
      expect((await store.alertHistory({ from: 0, to: now })).map((a) => a.fingerprint)).toEqual(['open', 'recent']);
    });

    if (reopen) {
      it('keeps the history across a reopen', async () => {
        const store = await open();
        const resolved = alert({ endsAt: T0 + HOUR, status: 'resolved' });
        await store.recordAlert(resolved);
        const again = await reopen(store);
        adopt(again);
        expect(await again.alertHistory({ from: T0, to: T0 + DAY })).toEqual([resolved]);
      });
    }
  });
}
