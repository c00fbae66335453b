// One payload per event kind. Names say the unit; everything optional is optional because some
// platforms cannot measure it, not because it is unimportant.
import { z } from 'zod';
import { DurationMs, Identifier } from './envelope.ts';

/**
 * Logon phases (see docs/agent-install.md for the events that bound each). The first six are in the
 * order a Windows logon passes through them; phases added later to v1 are appended, so anything
 * indexed by this list (the processor's metrics) keeps its positions.
 */
export const LOGON_PHASES = ['winlogonMs', 'profileMs', 'groupPolicyMs', 'preShellMs', 'shellMs', 'appLogonMs', 'logonTasksMs', 'subscribersMs', 'gpScriptsMs'] as const;

/**
 * What marked a logon's desktop ready, where a platform has more than one way to tell (see
 * docs/agent-install.md): Windows, the last Shell-Core logon task or the explorer.exe start; Linux, the
 * user manager's graphical-session.target or a desktop process's first line.
 */
/**
 * What marked a logon ready. `application-mark`: not the workstation's logon but a clinical
 * application's, timed by a login script's start and end marks (`wardwatch-agent mark`): counted as
 * the `appLogonMs` phase alone, never as a workstation logon (one sign-in is not two logons).
 */
export const LOGON_READY_MARKERS = ['shell-core-logon-tasks', 'explorer-start', 'graphical-session.target', 'desktop-process', 'application-mark'] as const;

export const LogonBody = z.strictObject({
  /** Pseudonymised user: HMAC-SHA256 under a trust-held key, hex; never a user name. */
  user: z.string().regex(/^[0-9a-f]{16,64}$/, 'must be a hex pseudonym, not a user name').optional(),
  /** Time from credentials accepted to a usable desktop (or, readyBy application-mark, to a usable clinical application). */
  totalMs: DurationMs,
  /** False when the logon was interrupted or failed before the desktop was usable. */
  ok: z.boolean(),
  /** For a logon that reached its desktop: what marked it ready. Totals ending at different markers differ. */
  readyBy: z.enum(LOGON_READY_MARKERS).optional(),
  phases: z
    .strictObject({
      winlogonMs: DurationMs.optional(),
      profileMs: DurationMs.optional(),
      groupPolicyMs: DurationMs.optional(),
      preShellMs: DurationMs.optional(),
      shellMs: DurationMs.optional(),
      appLogonMs: DurationMs.optional(),
      /** The shell's logon tasks (Shell-Core 62170 → 62171, e.g. Active Setup), first start → last stop. */
      logonTasksMs: DurationMs.optional(),
      /** Third-party Winlogon subscribers (811 → 812, e.g. FSLogix profile containers), time they held the logon. */
      subscribersMs: DurationMs.optional(),
      /** The user's Group Policy logon scripts (GroupPolicy 4018 → 5018), usually alongside the shell. */
      gpScriptsMs: DurationMs.optional(),
    })
    .optional(),
});

export const APP_FAILURES = ['dns', 'refused', 'reset', 'timeout', 'tls', 'http5xx', 'other'] as const;

export const AppBody = z.strictObject({
  /** Clinical application id from the trust's catalogue, e.g. "epr", "pacs". */
  app: Identifier,
  /** True when the check got a usable answer (2xx–4xx for HTTP, a connection for TCP). */
  ok: z.boolean(),
  status: z.number().int().min(100).max(599).optional(),
  error: z.enum(APP_FAILURES).optional(),
  dnsMs: DurationMs.optional(),
  tcpMs: DurationMs.optional(),
  tlsMs: DurationMs.optional(),
  ttfbMs: DurationMs.optional(),
  totalMs: DurationMs,
  /** "synthetic" for the agent's checks, "real" for timings an application reported itself. */
  source: z.enum(['synthetic', 'real']).optional(),
});

export const NetBody = z.strictObject({
  /** What was probed: the site gateway, the DNS resolver, or a named host. */
  target: Identifier,
  rttMs: DurationMs,
  lossPct: z.number().min(0).max(100),
});

export const WifiBody = z.strictObject({
  connected: z.boolean(),
  ssid: z.string().max(32).optional(),
  bssid: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'must be a lower-case BSSID like 3c:a8:2a:10:00:9a (hex pairs, colons)').optional(),
  signalDbm: z.number().min(-120).max(0).optional(),
  signalPct: z.number().min(0).max(100).optional(),
  linkMbps: z.number().nonnegative().max(100_000).optional(),
  channel: z.number().int().min(1).max(233).optional(),
});

export const HealthBody = z.strictObject({
  cpuPct: z.number().min(0).max(100),
  memPct: z.number().min(0).max(100),
  diskFreePct: z.number().min(0).max(100),
  uptimeS: z.number().nonnegative(),
  /** How long the last boot took, when known. */
  bootMs: DurationMs.optional(),
});
