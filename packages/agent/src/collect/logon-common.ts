// What the Windows and Linux logon parsers have in common: the result shape, the give-up rule for
// logons that never reach a desktop, and the one place that turns a parsed logon into the wire body.
import type { LogonEvent } from '@wardwatch/schema';

export type LogonBodyShape = LogonEvent['body'];

/** Phase durations in ms. A phase is absent when its start or end was not logged, never guessed. */
export interface LogonPhases {
  winlogonMs?: number;
  profileMs?: number;
  groupPolicyMs?: number;
  /** Windows: the user's Group Policy logon scripts (GroupPolicy 4018 → 5018). */
  gpScriptsMs?: number;
  preShellMs?: number;
  shellMs?: number;
  /** Windows: the shell's logon tasks (Active Setup and the like), first start → last stop. */
  logonTasksMs?: number;
  /** Windows: time third-party Winlogon subscribers (FSLogix, App Volumes, WEM, ...) held the logon. */
  subscribersMs?: number;
}

export interface ParsedLogon {
  /** When the credentials were accepted, epoch ms (UTC). */
  startedAt: number;
  /** Credentials accepted → desktop ready; for a failed logon, → the moment we stopped waiting. */
  totalMs: number;
  ok: boolean;
  phases: LogonPhases;
  /**
   * The raw account name as the OS logged it ("NHS\\jsmith01", "jsmith01"). The caller pseudonymises
   * it; it must never be sent (toLogonBody drops it).
   */
  account?: string;
  /** Windows TargetLogonId ("0x5a3c1f2") or the logind session id ("4"): lets a caller de-duplicate. */
  logonId?: string;
  /** Why ok is false. */
  reason?: string;
  /** For a logon that reached its desktop: what marked it ready (sent, so totals are compared like with like). */
  readyBy?: LogonBodyShape['readyBy'];
}

export interface ParseLogonOptions {
  /**
   * "Now", epoch ms. A logon with no desktop yet is only called interrupted once this is at least
   * shellTimeoutMs after it started; before that it is still in progress and left out, so the
   * caller sees it on a later read. Defaults to the newest event in the input, which is what a
   * recorded fixture needs and is conservative for a live read (the log is never ahead of now).
   */
  now?: number;
  /** How long to wait for the desktop before calling a logon interrupted. Default 10 minutes. */
  shellTimeoutMs?: number;
}

export const DEFAULT_SHELL_TIMEOUT_MS = 10 * 60_000;

/** "10 min" / "90 s": the timeout as it appears in a reason. */
export function describeTimeout(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * A phase from two instants, or undefined when either is missing or they are out of order (clock
 * steps, or events mis-correlated: a negative phase is a bug signal, not a measurement, so it is
 * dropped rather than clamped to 0).
 */
export function span(from: number | undefined, to: number | undefined): number | undefined {
  if (from === undefined || to === undefined || to < from) return undefined;
  return Math.round(to - from);
}

/** Drop undefined phases so the result stays a strict subset of the LogonBody phases. */
export function compactPhases(phases: { [K in keyof LogonPhases]?: number | undefined }): LogonPhases {
  const out: LogonPhases = {};
  for (const [key, value] of Object.entries(phases) as Array<[keyof LogonPhases, number | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The payload the agent sends: no account, no logon id, no reason (free text could carry a name).
 * `readyBy` goes with it: a total that ends at the explorer start is not the one that ends at the
 * shell's last logon task.
 * `user` is the caller's keyed pseudonym of `account`, if it has one.
 */
export function toLogonBody(logon: ParsedLogon, user?: string): LogonBodyShape {
  const body: LogonBodyShape = { totalMs: logon.totalMs, ok: logon.ok };
  if (user !== undefined) body.user = user;
  if (logon.readyBy !== undefined) body.readyBy = logon.readyBy;
  if (Object.keys(logon.phases).length > 0) body.phases = { ...logon.phases };
  return body;
}
