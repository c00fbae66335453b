// What the store keeps and every reader of history gets back: one rollup per (scope, metric,
// resolution, window) — SLI counts and a serialised DDSketch. Written by the processor (windows and
// late corrections) and the demo history, read by the server, the SLOs and the evidence packs. A v2
// would sit beside this file, never replace it; the sketch bytes' own format is @wardwatch/sketch's.
import { z } from 'zod';

export const RESOLUTIONS = ['1m', '5m', '1h'] as const;
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;
export const RESOLUTION_MS: Record<Resolution, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

/**
 * The metrics rollups are kept for. Append only: the processor's snapshots refer to metrics by index.
 * A rollup's `metric` is not held to this list when read (a newer writer may add to it).
 */
export const ROLLUP_METRICS = [
  'app.totalMs',
  'logon.totalMs',
  'wifi.signalDbm',
  'net.rttMs',
  'health.cpuPct',
  'app.dnsMs',
  // Real transaction timings (`source: real`) apart from the synthetic checks (app.totalMs holds both).
  'app.realMs',
  // Logon phases (site and ward), in LOGON_PHASES order: which phase dominates a slow logon.
  'logon.winlogonMs',
  'logon.profileMs',
  'logon.groupPolicyMs',
  'logon.preShellMs',
  'logon.shellMs',
  'logon.appLogonMs',
  // Windows phases added to v1 later, appended like LOGON_PHASES itself.
  'logon.logonTasksMs',
  'logon.subscribersMs',
  'logon.gpScriptsMs',
  // Device health beyond CPU (devices only): memory in use and disk free (%, every health sample), and
  // boot duration (ms, when the agent sends it, once per boot).
  'health.memPct',
  'health.diskFreePct',
  'health.bootMs',
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

const count = z.number().int().nonnegative();

export const RollupRecord = z
  .object({
    /** Scope key, e.g. "site:S1", "ward:S1/W2", "device:D17", "ap:3c:a8:2a:10:00:9a", "siteapp:S1/epr". */
    scope: z.string().min(1),
    /** What was measured, e.g. "app.totalMs", "logon.totalMs", "wifi.signalDbm" (ROLLUP_METRICS). */
    metric: z.string().min(1),
    resolution: Resolution,
    /** Window start, epoch ms (UTC), aligned to the resolution. */
    start: z.number().int(),
    /** Values in the sketch. */
    count,
    /** SLI counts: valid events and the good ones among them (for availability: succeeded). */
    valid: count,
    good: count,
    /** Of the valid events, those under the metric's latency threshold (latency SLI good count). */
    fast: count,
    /**
     * DDSketch serialised by @wardwatch/sketch: its compact format (first byte 0x00) or, in rows written
     * before it, the library's protobuf (first byte 0x0a) — docs/architecture.md, "Stored sketches".
     * Empty when count is 0.
     */
    sketch: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be bytes (a Uint8Array)'),
  })
  .check((ctx) => {
    const r = ctx.value;
    if (r.start % RESOLUTION_MS[r.resolution] !== 0) ctx.issues.push({ code: 'custom', input: r.start, path: ['start'], message: `must be aligned to the ${r.resolution} resolution` });
    if (r.good > r.valid) ctx.issues.push({ code: 'custom', input: r.good, path: ['good'], message: `must not exceed valid (${r.valid})` });
    if (r.fast > r.valid) ctx.issues.push({ code: 'custom', input: r.fast, path: ['fast'], message: `must not exceed valid (${r.valid})` });
  });
export type RollupRecord = z.infer<typeof RollupRecord>;

/** A rollup row's primary key. */
export const RollupKey = z.object({ scope: z.string().min(1), metric: z.string().min(1), resolution: Resolution, start: z.number().int() });
export type RollupKey = z.infer<typeof RollupKey>;

/** Why `value` is not a rollup ("good: must not exceed valid (3)"), or undefined when it is one. */
export function rollupIssue(value: unknown): string | undefined {
  const parsed = RollupRecord.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.length > 0 ? issue.path.join('.') : '(rollup)'}: ${issue.message}`;
}
