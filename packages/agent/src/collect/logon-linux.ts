// Linux desktop logon durations from the systemd journal. Input is `journalctl -o json` output,
// one JSON object per line, e.g. from
//
//   journalctl -o json --since "-2h" _COMM=gdm-session-wor + _COMM=lightdm + _COMM=sddm-helper + \
//     SYSLOG_IDENTIFIER=systemd-logind + SYSLOG_IDENTIFIER=systemd + SYSLOG_IDENTIFIER=sshd + \
//     _COMM=gnome-shell + _COMM=plasmashell + _COMM=xfce4-panel + _COMM=xfdesktop
//
// (or simply `journalctl -o json --since "-2h"`; lines we do not use are skipped).
//
// Milestones of one session and the phases between them (journal __REALTIME_TIMESTAMP, µs):
//
//   display manager PAM: "pam_unix(gdm-password:session): session opened for user jsmith01(uid=1001) by (uid=0)"
//       ─ credentials accepted; the logon starts (pam_unix logs no success line for the auth step)
//     winlogonMs: → systemd-logind "New session 5 of user jsmith01." (the session is registered)
//     profileMs:  → the user's systemd manager (user@UID.service) "Startup finished in 577ms."
//                   (the per-user environment; absent when the user already had a session running)
//     shellMs:    → desktop ready
//   totalMs: PAM session opened → desktop ready.
//
// Desktop ready, in order of preference:
//   1. the user manager's "Reached target graphical-session.target": GNOME (3.34+) and KDE Plasma
//      (5.25+) start their shell as systemd user units and reach this target once it is up;
//   2. only for desktops that do not use those targets (the user manager never logged
//      graphical-session-pre.target for the session), the first journal line from the user's
//      panel/desktop process (xfce4-panel, xfdesktop, mate-panel, cinnamon, lxqt-panel, ...). We
//      deliberately skip the session managers (xfce4-session, gnome-session) and gnome-shell's first
//      line: they log at the start of the desktop, not when it is usable, and on GNOME a shell that
//      logs and then crashes must not count as ready.
// Where the desktop's output goes only to ~/.xsession-errors and it uses no systemd targets, no
// marker reaches the journal: such sessions report ok=false "no desktop within 10 min", a wording
// distinct from a session that ended, so a configuration gap is not mistaken for a failure.
//
// Correlation, so overlapping sessions (two users, or one user twice) never swap milestones:
//   PAM line → logind session: logind's LEADER field is the PID that opened the PAM session (exact);
//     failing that, the first unclaimed session of the same user name.
//   logind session → user manager and desktop lines: by UID (_UID of the user's processes).
//   session end: logind "Session N logged out." / "Removed session N." by session id.
// Ignored: greeters (gdm-launch-environment, lightdm-greeter, sddm-greeter), the user manager's
// own PAM session (systemd-user), and non-graphical services (sshd, cron, su, sudo, login on a tty).
//
// Bad input: empty output gives []; a line that is not a JSON object, or one without
// __REALTIME_TIMESTAMP, throws an Error naming the line.
import {
  DEFAULT_SHELL_TIMEOUT_MS,
  compactPhases,
  describeTimeout,
  span,
  type ParseLogonOptions,
  type ParsedLogon,
} from './logon-common.ts';

export interface LinuxLogon extends ParsedLogon {
  /** The display manager's PAM service: "gdm-password", "gdm-smartcard", "lightdm", "sddm", ... */
  service: string;
  uid: number;
  /** What marked the desktop ready, for a logon that got one. */
  readyBy?: 'graphical-session.target' | 'desktop-process';
}

/** PAM services of graphical logons. Greeters and non-graphical services are deliberately absent. */
const GRAPHICAL_SERVICES = new Set([
  'gdm-password', 'gdm-fingerprint', 'gdm-smartcard', 'gdm-autologin',
  'lightdm', 'lightdm-autologin', 'sddm', 'sddm-autologin', 'xrdp-sesman',
]);

/** Processes whose first line means the desktop is drawn, for desktops without systemd targets. */
const DESKTOP_PROCESSES = new Set([
  'xfce4-panel', 'xfdesktop', 'mate-panel', 'caja', 'cinnamon', 'nemo-desktop', 'lxqt-panel', 'pcmanfm-qt', 'lxpanel', 'budgie-panel', 'plasmashell',
]);

interface JournalEntry {
  us: number;
  ident: string;
  comm: string;
  pid?: number;
  uid?: number;
  message: string;
  fields: Record<string, unknown>;
}

function readJournalJson(input: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  const lines = input.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`parseLinuxSessions: line ${i + 1} is not JSON; expected journalctl -o json output, got ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`parseLinuxSessions: line ${i + 1} is not a journal entry object`);
    }
    const f = parsed as Record<string, unknown>;
    const us = Number(f.__REALTIME_TIMESTAMP);
    if (typeof f.__REALTIME_TIMESTAMP !== 'string' || !Number.isSafeInteger(us)) {
      throw new Error(`parseLinuxSessions: line ${i + 1} has no __REALTIME_TIMESTAMP`);
    }
    const pid = Number(f._PID);
    const uid = Number(f._UID);
    entries.push({
      us,
      ident: typeof f.SYSLOG_IDENTIFIER === 'string' ? f.SYSLOG_IDENTIFIER : '',
      comm: typeof f._COMM === 'string' ? f._COMM : '',
      ...(typeof f._PID === 'string' && Number.isInteger(pid) ? { pid } : {}),
      ...(typeof f._UID === 'string' && Number.isInteger(uid) ? { uid } : {}),
      message: messageText(f.MESSAGE),
      fields: f,
    });
  }
  // journalctl prints in time order already; sorting makes merged or reversed (-r) input safe too.
  return entries.sort((a, b) => a.us - b.us);
}

/** journalctl prints MESSAGE as an array of bytes when it is not valid UTF-8. */
function messageText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) {
    return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(value as number[]));
  }
  return '';
}

// ---- what each line means ----

interface PamOpen {
  us: number;
  service: string;
  user: string;
  uid: number;
  pid?: number;
}

const PAM_OPENED = /^pam_unix\(([^:)]+):session\): session opened for user (.+?)\(uid=(\d+)\)/;

function pamOpen(e: JournalEntry): PamOpen | undefined {
  const m = PAM_OPENED.exec(e.message);
  if (!m) return undefined;
  return { us: e.us, service: m[1]!, user: m[2]!, uid: Number(m[3]), ...(e.pid !== undefined ? { pid: e.pid } : {}) };
}

interface LogindSession {
  us: number;
  id: string;
  user: string;
  leader?: number;
}

function logindNewSession(e: JournalEntry): LogindSession | undefined {
  if (e.ident !== 'systemd-logind') return undefined;
  const m = /^New session (\S+) of user (.+)\.$/.exec(e.message);
  if (!m) return undefined;
  const leader = Number(e.fields.LEADER);
  return { us: e.us, id: m[1]!, user: m[2]!, ...(Number.isInteger(leader) && leader > 0 ? { leader } : {}) };
}

/** "Session 7 logged out. Waiting for processes to exit." comes first; "Removed session 7." last. */
function logindSessionEnd(e: JournalEntry): { us: number; id: string } | undefined {
  if (e.ident !== 'systemd-logind') return undefined;
  const m = /^Session (\S+) logged out\./.exec(e.message) ?? /^Removed session (\S+)\.$/.exec(e.message);
  return m ? { us: e.us, id: m[1]! } : undefined;
}

type UserManagerMark = 'startup-finished' | 'graphical-session-pre' | 'graphical-session';

/** Lines of a user's own systemd instance (user@UID.service), which runs as that UID. */
function userManagerMark(e: JournalEntry): { us: number; uid: number; mark: UserManagerMark } | undefined {
  if (e.ident !== 'systemd' || e.uid === undefined || e.uid === 0) return undefined;
  const unit = typeof e.fields.USER_UNIT === 'string' ? e.fields.USER_UNIT : '';
  let mark: UserManagerMark | undefined;
  if (/^Startup finished in /.test(e.message)) mark = 'startup-finished';
  // systemd ≥ 253 prints "Reached target graphical-session.target - Current graphical user session.";
  // older versions print only the description, so the USER_UNIT field decides.
  else if (/^Reached target /.test(e.message)) {
    if (unit === 'graphical-session-pre.target' || e.message.includes('graphical-session-pre.target')) mark = 'graphical-session-pre';
    else if (unit === 'graphical-session.target' || e.message.includes('graphical-session.target') || e.message === 'Reached target Current graphical user session.') mark = 'graphical-session';
  }
  return mark ? { us: e.us, uid: e.uid, mark } : undefined;
}

function desktopProcessLine(e: JournalEntry): { us: number; uid: number } | undefined {
  if (e.uid === undefined || e.uid === 0) return undefined;
  return DESKTOP_PROCESSES.has(e.ident) || DESKTOP_PROCESSES.has(e.comm) ? { us: e.us, uid: e.uid } : undefined;
}

// ---- one session's milestones ----

interface Milestones {
  pam: PamOpen;
  logind?: LogindSession;
  userManagerUs?: number;
  systemdDesktop: boolean;
  readyUs?: number;
  readyBy?: 'graphical-session.target' | 'desktop-process';
  endUs?: number;
}

function claimFirst<T>(candidates: T[], claimed: Set<unknown>, fits: (c: T) => boolean): T | undefined {
  const pick = candidates.find((c) => !claimed.has(c) && fits(c));
  if (pick !== undefined) claimed.add(pick);
  return pick;
}

function correlate(entries: JournalEntry[], timeoutUs: number): Milestones[] {
  const pams = entries.map(pamOpen).filter((p): p is PamOpen => p !== undefined);
  const sessions = entries.map(logindNewSession).filter((s): s is LogindSession => s !== undefined);
  const ends = entries.map(logindSessionEnd).filter((s): s is { us: number; id: string } => s !== undefined);
  const marks = entries.map(userManagerMark).filter((m): m is { us: number; uid: number; mark: UserManagerMark } => m !== undefined);
  const desktopLines = entries.map(desktopProcessLine).filter((d): d is { us: number; uid: number } => d !== undefined);

  // Every PAM session (ssh and cron too) claims its logind session, so a graphical logon cannot take
  // the session an ssh login created a moment earlier. LEADER matches first; user name is the fallback.
  const claimedSessions = new Set<unknown>();
  const logindOf = new Map<PamOpen, LogindSession>();
  for (const pam of pams) {
    const exact = pam.pid !== undefined ? claimFirst(sessions, claimedSessions, (s) => s.leader === pam.pid && s.us >= pam.us) : undefined;
    const found = exact ?? claimFirst(sessions, claimedSessions, (s) => s.leader === undefined && s.user === pam.user && s.us >= pam.us && s.us - pam.us <= 30_000_000);
    if (found) logindOf.set(pam, found);
  }

  // One claimed set per kind of milestone: a line is one session's, never two sessions'.
  const claimedStartups = new Set<unknown>();
  const claimedReady = new Set<unknown>();
  const result: Milestones[] = [];
  for (const pam of pams.filter((p) => GRAPHICAL_SERVICES.has(p.service))) {
    const logind = logindOf.get(pam);
    const endUs = logind ? ends.find((e) => e.id === logind.id && e.us >= logind.us)?.us : undefined;
    const windowEnd = Math.min(endUs ?? Infinity, pam.us + timeoutUs);
    const ours = (t: { us: number; uid: number }) => t.uid === pam.uid && t.us >= pam.us && t.us <= windowEnd;
    const startup = claimFirst(marks, claimedStartups, (m) => m.mark === 'startup-finished' && ours(m));
    const systemdDesktop = marks.some((m) => m.mark === 'graphical-session-pre' && ours(m));
    const target = claimFirst(marks, claimedReady, (m) => m.mark === 'graphical-session' && ours(m));
    const line = target || systemdDesktop ? undefined : claimFirst(desktopLines, claimedReady, ours);
    result.push({
      pam,
      systemdDesktop,
      ...(logind ? { logind } : {}),
      ...(startup ? { userManagerUs: startup.us } : {}),
      ...(target ? { readyUs: target.us, readyBy: 'graphical-session.target' as const } : {}),
      ...(line ? { readyUs: line.us, readyBy: 'desktop-process' as const } : {}),
      ...(endUs !== undefined ? { endUs } : {}),
    });
  }
  return result;
}

// ---- the result ----

const ms = (us: number | undefined) => (us === undefined ? undefined : us / 1000);

function summarise(m: Milestones, horizonUs: number, timeoutUs: number): LinuxLogon | undefined {
  const sessionUs = m.logind?.us;
  const shellFrom = m.userManagerUs ?? sessionUs;
  const phases = compactPhases({
    winlogonMs: span(ms(m.pam.us), ms(sessionUs)),
    profileMs: span(ms(sessionUs), ms(m.userManagerUs)),
    groupPolicyMs: undefined,
    preShellMs: undefined,
    shellMs: m.readyUs !== undefined ? span(ms(shellFrom), ms(m.readyUs)) : undefined,
  });
  const base = {
    startedAt: Math.floor(m.pam.us / 1000),
    phases,
    account: m.pam.user,
    ...(m.logind ? { logonId: m.logind.id } : {}),
    service: m.pam.service,
    uid: m.pam.uid,
  };
  const durationTo = (us: number) => Math.round((us - m.pam.us) / 1000);

  if (m.readyUs !== undefined) return { ...base, totalMs: durationTo(m.readyUs), ok: true, readyBy: m.readyBy! };
  if (m.endUs !== undefined && m.endUs - m.pam.us < timeoutUs) {
    return { ...base, totalMs: durationTo(m.endUs), ok: false, reason: 'session ended before the desktop was ready' };
  }
  if (horizonUs - m.pam.us >= timeoutUs) {
    return { ...base, totalMs: timeoutUs / 1000, ok: false, reason: `no desktop within ${describeTimeout(timeoutUs / 1000)}` };
  }
  return undefined; // still starting: report it on a later read
}

/**
 * Graphical logons in the journal output, oldest first, each with its phases. Sessions still
 * starting (no desktop yet, younger than the timeout) are left out.
 */
export function parseLinuxSessions(input: string, options: ParseLogonOptions = {}): LinuxLogon[] {
  const entries = readJournalJson(input);
  if (entries.length === 0) return [];
  const timeoutUs = (options.shellTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS) * 1000;
  const horizonUs = options.now !== undefined ? options.now * 1000 : entries[entries.length - 1]!.us;
  return correlate(entries, timeoutUs)
    .map((m) => summarise(m, horizonUs, timeoutUs))
    .filter((l): l is LinuxLogon => l !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt);
}
