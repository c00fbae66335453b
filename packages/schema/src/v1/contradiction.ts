// Fields of one event that cannot all be true at once. The v1 schema judges each field alone; these
// rules judge fields against each other, where the measurement itself says how they relate: an
// application check's phases are parts of its total (the agent's PhaseClock: DNS, then TCP, then TLS,
// then the wait for the first byte, all inside the check), and some logon phases lie inside the
// logon, from credentials accepted to a usable desktop (docs/agent-install.md). An event that breaks
// one was measured wrongly or mangled on the way: counted, it would put a phase's figures above the
// whole it is part of (a DNS p95 longer than the checks it was in, a profile load longer than the
// logons), and the evidence pack's shares of logon time with them.
//
// Not judged, because real logons break them: Group Policy and its logon scripts (asynchronous
// policy runs alongside the shell, past the desktop being ready) and a clinical application's logon
// (its own wait after the desktop, unless the event is that wait alone) may each last longer than
// the total; and a logon that failed (`ok: false`), whose total runs only to when it was given up
// (ten minutes without a shell, or the logoff) — a profile load stuck for twelve minutes ends after
// that, and such a logon is the one most worth counting.
import type { TelemetryEvent } from './event.ts';
import { countText } from '../figure-text.ts';

/**
 * Slack for numbers rounded by their sender, ms per number in a sum: a sender that rounds each phase
 * and the total to whole milliseconds can be half a millisecond out on each. The agent itself rounds
 * to microseconds so that its phases never add up to more than its total.
 */
const ROUNDING_MS = 0.5;

/** Logon phases that follow one another inside the logon (Winlogon, profile, userinit → explorer, explorer → ready). */
const SEQUENTIAL_LOGON_PHASES = ['winlogonMs', 'profileMs', 'preShellMs', 'shellMs'] as const;
const APP_PHASES = ['dnsMs', 'tcpMs', 'tlsMs', 'ttfbMs'] as const;

/**
 * Why the fields of a schema-valid event contradict each other ("body: dnsMs + ttfbMs come to 5,200
 * ms, more than totalMs 1,000 ms …"), or undefined when they do not.
 */
export function contradiction(event: TelemetryEvent): string | undefined {
  // Fields read by name on the per-event path (a loop over names made the loads megamorphic, as in
  // event-check.ts); the names are walked only to word a refusal.
  if (event.kind === 'app') {
    const b = event.body;
    const dns = b.dnsMs, tcp = b.tcpMs, tls = b.tlsMs, ttfb = b.ttfbMs;
    const sum = (dns ?? 0) + (tcp ?? 0) + (tls ?? 0) + (ttfb ?? 0);
    // Nearly every check: inside its total, slack or not.
    if (sum <= b.totalMs) return undefined;
    const present = (dns === undefined ? 0 : 1) + (tcp === undefined ? 0 : 1) + (tls === undefined ? 0 : 1) + (ttfb === undefined ? 0 : 1);
    if (sum <= b.totalMs + (present + 1) * ROUNDING_MS) return undefined;
    return partsOverTotal('body', b, APP_PHASES, sum, b.totalMs, "an application check's phases are parts of its total time");
  }
  if (event.kind === 'logon') {
    const body = event.body;
    const p = body.phases;
    if (!p || !body.ok) return undefined;
    const total = body.totalMs;
    const winlogon = p.winlogonMs, profile = p.profileMs, preShell = p.preShellMs, shell = p.shellMs;
    const sum = (winlogon ?? 0) + (profile ?? 0) + (preShell ?? 0) + (shell ?? 0);
    if (sum > total) {
      const present = (winlogon === undefined ? 0 : 1) + (profile === undefined ? 0 : 1) + (preShell === undefined ? 0 : 1) + (shell === undefined ? 0 : 1);
      if (sum > total + (present + 1) * ROUNDING_MS) return partsOverTotal('body.phases', p, SEQUENTIAL_LOGON_PHASES, sum, total, 'these phases follow one another inside the logon');
    }
    const inner = p.subscribersMs !== undefined && p.subscribersMs > total + 2 * ROUNDING_MS ? 'subscribersMs' : p.logonTasksMs !== undefined && p.logonTasksMs > total + 2 * ROUNDING_MS ? 'logonTasksMs' : undefined;
    if (inner) return `body.phases.${inner} ${msText(p[inner]!)} is longer than totalMs ${msText(total)}: the phase lies inside the logon`;
  }
  return undefined;
}

/** Words a refusal: the parts present (of `names`), their sum and the total. */
function partsOverTotal<K extends string>(path: string, parts: Partial<Record<K, number>>, names: readonly K[], sum: number, total: number, why: string): string {
  const named = names.filter((name) => parts[name] !== undefined);
  const what = named.length === 1 ? `${named[0]} ${msText(sum)} is` : `${named.join(' + ')} come to ${msText(sum)},`;
  return `${path}: ${what} more than totalMs ${msText(total)}: ${why}`;
}

/** Milliseconds as given, thousands grouped as every figure wardwatch writes (countText): "5,200 ms". */
const msText = (ms: number) => `${countText(ms)} ms`;
