// Number formatting for the dashboard: seconds for durations, percentages for ratios.
import type { Health } from '@wardwatch/schema';

export const seconds = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '–' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;

export const percent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(ratio >= 0.999 || ratio < 0.1 ? 2 : 1)} %`;

export const dbm = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${Math.round(value)} dBm`);

/** A device clock's skew against the server: "5 min 3 s ahead", "40 s behind", "in step" (under 2 s: network time). */
export const clockSkew = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 2) return 'in step';
  const amount = s < 60 ? `${s} s` : s % 60 === 0 || s >= 600 ? `${Math.round(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${amount} ${ms > 0 ? 'ahead' : 'behind'}`;
};

export const time = (epochMs: number): string =>
  epochMs > 0 ? new Date(epochMs).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '–';

export const STATUS_LABEL: Record<Health, { icon: string; word: string }> = {
  ok: { icon: '✓', word: 'OK' },
  degraded: { icon: '▲', word: 'Degraded' },
  down: { icon: '✕', word: 'Down' },
  unknown: { icon: '?', word: 'Unknown' },
};
