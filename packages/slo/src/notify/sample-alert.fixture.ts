// A fixed alert and its notifications, shared by the notifier tests.
import type { SloAlert } from '../alert.ts';
import type { Notification } from '../alert-book.ts';

export const T0 = Date.UTC(2025, 0, 15, 12, 0);

export const ALERT: SloAlert = {
  fingerprint: '0123456789abcdef',
  slo: 'site-app-availability',
  scope: 'site:S1',
  severity: 'page',
  status: 'firing',
  indicator: 'availability',
  objective: 0.995,
  startsAt: T0,
  endsAt: null,
  updatedAt: T0,
  rules: [{ burnRate: 14.4, longWindow: '1h', shortWindow: '5m', longBurnRate: 20, shortBurnRate: 25 }],
  errorBudgetRemaining: 0.75,
  summary: 'site-app-availability on site:S1: error budget burning 20.0× over 1h and 25.0× over 5m (threshold 14.4×); 75 % of the 28-day budget left',
  silencedBy: null,
  notifiedAt: T0,
  assignment: null,
};
export const FIRING: Notification = { status: 'firing', alert: ALERT, repeat: false, at: T0 };
export const RESOLVED: Notification = { status: 'resolved', alert: { ...ALERT, status: 'resolved', endsAt: T0 + 3_600_000 }, repeat: false, at: T0 + 3_600_000 };
