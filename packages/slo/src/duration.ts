// Durations as written in SLO files and Prometheus ("5m", "6h", "28d") ⇄ milliseconds.

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const DURATION = /^([1-9][0-9]*)([mhdw])$/;

/** Milliseconds of a duration like "5m", "1h", "3d", "4w"; undefined when the text is not one. */
export function parseSloDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Exact duration text for a whole number of minutes, in days, hours or minutes ("90m", "1d", "28d"). */
export function formatSloDuration(ms: number): string {
  if (!Number.isInteger(ms / 60_000) || ms <= 0) throw new RangeError(`not a whole number of minutes: ${ms} ms`);
  for (const unit of ['d', 'h'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms / 60_000}m`;
}
