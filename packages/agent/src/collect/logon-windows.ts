// Windows logon durations from the event log, phase by phase, bounded by the same events the
// established logon-analysis tools use (ControlUp's Analyze Logon Duration above all; the comparison
// is in docs/agent-install.md). Input: the JSON the agent's query prints, each event's fields by
// name (see logon-windows-events.ts and packages/agent/src/probes/logons.ts).
//
// Milestones of one logon and the phases between them (all times are the events' TimeCreated):
//
//   Security 4624 (TargetLogonId, LogonType 2/10/11) ─ credentials accepted, the logon starts
//     winlogonMs:     4624 → profile load starts
//     subscribersMs:  Winlogon 811 → 812 of third-party subscribers (FSLogix frxsvc, App Volumes, WEM, ...)
//     profileMs:      User Profile Service 1 → 2 (same session, the user's SID); Winlogon "Profiles" 811 → 812 if that log is off
//     groupPolicyMs:  GroupPolicy 4001 → 8001 (7001 if it failed), same PrincipalSamName (user policy)
//     gpScriptsMs:    GroupPolicy 4018 → 5018 (7018 if it failed), same PrincipalSamName: the user's logon scripts
//     preShellMs:     Security 4688 userinit.exe → 4688 explorer.exe (same logon id)
//     shellMs:        explorer.exe start → desktop ready
//     logonTasksMs:   Shell-Core 62170 → 62171 (by TaskName: Active Setup and the shell's other logon tasks), first start → last stop
//   totalMs: 4624 → desktop ready.
//
// Desktop ready: the shell runs its logon tasks before the desktop is usable, and Shell-Core logs each
// task's start and stop. Where that channel logs them, the desktop is ready when the last of the
// logon's tasks has stopped (`readyBy: 'shell-core-logon-tasks'`); otherwise we take the explorer.exe
// start (`readyBy: 'explorer-start'`). No "settle" delay is added to any figure: a made-up constant
// would hide exactly the slow shells this monitor exists to find. Where process creation is not
// audited (Windows' default: no 4688), the user's logon tasks still mark the desktop ready; with
// neither logged, a logon is not reported (its end cannot be told), rather than called interrupted.
//
// Phases are each measured from their own events, so gaps between them, and phases that overlap
// (subscribers run inside the Winlogon and profile phases; asynchronous Group Policy overlaps the
// shell), mean they need not add up to totalMs.
//
// Correlation, so two logons that overlap (console + RDP, or fast user switching) never swap phases:
//   - 4624/4688/4647/4634 carry the logon id: exact. A UAC administrator gets two linked 4624s (full
//     and filtered token, TargetLinkedLogonId pointing at each other): one logon, not two.
//   - GroupPolicy 4001/8001 carry PrincipalSamName: exact per account. (Their UserId is S-1-5-18.)
//   - User Profile Service, Winlogon subscriber and Shell-Core records carry the user's SID as UserId:
//     exact when the 4624's TargetUserSid is known. Without SIDs they fall back to order: the first
//     unclaimed profile load after the 4624 that ends before its userinit.exe; logon tasks to the
//     logon whose explorer.exe started last before them.
//
// Ignored: non-interactive logons (network 3, batch 4, service 5, unlock 7, ...), and the type 2
// logons of the virtual accounts Windows creates per session (DWM-n "Window Manager",
// UMFD-n "Font Driver Host").
//
// Bad input: empty output (no events) gives []; text that is not JSON, or JSON that is not event
// records, throws an Error saying what was wrong. Records of logs/ids we do not use are skipped.
import {
  DEFAULT_SHELL_TIMEOUT_MS,
  compactPhases,
  describeTimeout,
  span,
  type ParseLogonOptions,
  type ParsedLogon,
} from './logon-common.ts';
import {
  gpScriptEvent,
  groupPolicyEvent,
  interactiveLogon,
  logoff,
  logonTaskRuns,
  processStart,
  profileRuns,
  readWinEventJson,
  subscriberRuns,
  type GpEvent,
  type InteractiveType,
  type LogonStart,
  type ProcessStart,
  type Run,
} from './logon-windows-events.ts';

export { parseTimeCreated } from './logon-windows-events.ts';

export type WindowsPhase = 'winlogon' | 'subscribers' | 'profile' | 'groupPolicy' | 'preShell' | 'logonTasks';

export interface WindowsLogon extends ParsedLogon {
  /** 2 interactive (console), 10 remote interactive (RDP), 11 cached interactive (no DC reachable). */
  logonType: InteractiveType;
  /** What marked the desktop ready, for a logon that got one. */
  readyBy?: 'shell-core-logon-tasks' | 'explorer-start';
  /** For an interrupted logon: the last phase that had started, i.e. where it got stuck. */
  stalledIn?: WindowsPhase;
  /** Third-party Winlogon subscribers and their time, slowest first (local diagnosis; never sent). */
  subscribers?: Array<{ name: string; ms: number }>;
  /** The shell's logon tasks and their time, slowest first (local diagnosis; never sent). */
  logonTasks?: Array<{ name: string; ms: number }>;
}

export interface ParseWindowsLogonOptions extends ParseLogonOptions {
  /**
   * How long after the last logon task stopped before the logon is reported: another task may still
   * start (they run one after another). A task that starts later than this after the others stopped
   * is not the logon's. Default 60 s.
   */
  quietMs?: number;
  /**
   * Whether this machine audits process creation (Security 4688), which is off on a Windows left at
   * its defaults. Without it and without Shell-Core's logon tasks, when a logon's desktop came cannot
   * be told, and a logon with no shell start is left out rather than called interrupted. Default:
   * whether the input holds a userinit.exe or explorer.exe start (a caller that has seen one on this
   * machine before says so: a stuck logon's input may hold none).
   */
  processCreationAudited?: boolean;
}

const DEFAULT_QUIET_MS = 60_000;

/**
 * Windows' own Winlogon notification subscribers. Profiles and GPClient are measured as the profile
 * and Group Policy phases; any other name (frxsvc for FSLogix, svservice for App Volumes, WemLogonSvc
 * for Citrix WEM, ...) counts as third-party. The capture script lists the names a workstation logs.
 */
const WINDOWS_SUBSCRIBERS = new Set(['profiles', 'gpclient', 'sessionenv', 'sens', 'termsrv', 'trustedinstaller', 'dot3svc', 'wlansvc']);

/** A SID on both sides that differs rules a candidate out; a missing SID rules nothing out. */
function sameUser(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/**
 * Fold the two 4624s of a UAC split token into one logon: they reference each other through
 * TargetLinkedLogonId and only one of them (the filtered token) ever starts userinit.exe.
 */
function mergeLinkedLogons(starts: LogonStart[]): LogonStart[] {
  const merged: LogonStart[] = [];
  for (const s of starts) {
    const twin = merged.find((m) => m.account === s.account && m.logonIds.some((id) => s.logonIds.includes(id)));
    if (twin) twin.logonIds = [...new Set([...twin.logonIds, ...s.logonIds])];
    else merged.push({ ...s, logonIds: [...s.logonIds] });
  }
  return merged;
}

// ---- one logon's milestones ----

interface Milestones {
  start: LogonStart;
  profile?: Run;
  gpStart?: number;
  gpEnd?: number;
  scriptsStart?: number;
  scriptsEnd?: number;
  userinit?: ProcessStart;
  explorer?: ProcessStart;
  subscribers: Run[];
  tasks: Run[];
  loggedOffAt?: number;
}

/** Give each logon (in the given order) the first unclaimed candidate that fits it. */
function claimInOrder<T>(owners: Milestones[], candidates: T[], fits: (owner: Milestones, c: T) => boolean, assign: (owner: Milestones, c: T) => void): void {
  const claimed = new Set<T>();
  for (const owner of owners) {
    const pick = candidates.find((c) => !claimed.has(c) && fits(owner, c));
    if (pick !== undefined) {
      claimed.add(pick);
      assign(owner, pick);
    }
  }
}

/**
 * The logon's own run of tasks: they follow one another, so a task that starts more than `gapMs`
 * after everything before it stopped (explorer restarted later in the session) is not part of the
 * logon. This also makes the figures the same whenever the log is read.
 */
function contiguous(tasks: Run[], from: number, gapMs: number): Run[] {
  const out: Run[] = [];
  let edge = from;
  for (const t of [...tasks].sort((a, b) => a.start - b.start)) {
    if (t.start > edge + gapMs) break;
    out.push(t);
    edge = t.end === undefined ? Number.POSITIVE_INFINITY : Math.max(edge, t.end);
  }
  return out;
}

function correlate(records: ReturnType<typeof readWinEventJson>, timeoutMs: number, quietMs: number): Milestones[] {
  const starts = mergeLinkedLogons(records.map(interactiveLogon).filter((s): s is LogonStart => s !== undefined));
  const procs = records.map(processStart).filter((p): p is ProcessStart => p !== undefined);
  const logoffs = records.map(logoff).filter((l): l is { time: number; logonId: string } => l !== undefined);
  const logons: Milestones[] = starts.map((start) => ({ start, subscribers: [], tasks: [] }));
  const within = (m: Milestones, t: number) => t >= m.start.time && t <= m.start.time + timeoutMs;

  // Exact by logon id.
  for (const m of logons) {
    const ours = procs.filter((p) => m.start.logonIds.includes(p.logonId) && within(m, p.time));
    m.userinit = ours.find((p) => p.image === 'userinit.exe');
    // Explorer restarts later in the session; the first start after userinit is the logon's shell.
    m.explorer = ours.find((p) => p.image === 'explorer.exe' && p.time >= (m.userinit?.time ?? m.start.time));
    m.loggedOffAt = logoffs.find((l) => m.start.logonIds.includes(l.logonId) && l.time >= m.start.time)?.time;
  }

  // Exact by account.
  const gp = records.map(groupPolicyEvent).filter((g): g is GpEvent => g !== undefined);
  const account = (m: Milestones) => m.start.account.toLowerCase();
  claimInOrder(logons, gp.filter((g) => g.starts), (m, g) => g.account === account(m) && within(m, g.time), (m, g) => (m.gpStart = g.time));
  claimInOrder(
    logons.filter((m) => m.gpStart !== undefined),
    gp.filter((g) => !g.starts),
    (m, g) => g.account === account(m) && g.time >= m.gpStart!,
    (m, g) => (m.gpEnd = g.time),
  );
  // Logon scripts run after the user's policy, usually alongside the shell (asynchronously).
  const scripts = records.map(gpScriptEvent).filter((g): g is GpEvent => g !== undefined);
  claimInOrder(logons, scripts.filter((g) => g.starts), (m, g) => g.account === account(m) && within(m, g.time), (m, g) => (m.scriptsStart = g.time));
  claimInOrder(
    logons.filter((m) => m.scriptsStart !== undefined),
    scripts.filter((g) => !g.starts),
    (m, g) => g.account === account(m) && g.time >= m.scriptsStart!,
    (m, g) => (m.scriptsEnd = g.time),
  );

  // By SID, else by order: a logon's profile loads after its 4624 and before its userinit.
  const profileFits = (m: Milestones, i: Run) =>
    within(m, i.start) && sameUser(m.start.sid, i.sid) && (m.userinit === undefined || i.end === undefined || i.end <= m.userinit.time);
  claimInOrder(logons, profileRuns(records), profileFits, (m, i) => (m.profile = i));
  const subscribers = subscriberRuns(records);
  const profileSubscriber = subscribers.filter((s) => s.name.toLowerCase() === 'profiles');
  claimInOrder(logons.filter((m) => m.profile === undefined), profileSubscriber, profileFits, (m, i) => (m.profile = i));

  // Logon tasks: the shell runs them, so each belongs to the logon whose explorer.exe started last before it.
  const withShell = logons.filter((m) => m.explorer !== undefined).sort((a, b) => b.explorer!.time - a.explorer!.time);
  // Where no explorer.exe start is logged for a logon (Audit Process Creation is off, as it is on a
  // Windows left at its defaults), its tasks are still the user's: by SID, else to the logon that
  // began last before them — the shell they mark ready is this logon's, whenever it started.
  const withoutShell = logons.filter((m) => m.explorer === undefined && m.userinit === undefined).sort((a, b) => b.start.time - a.start.time);
  for (const task of logonTaskRuns(records)) {
    const owner =
      withShell.find((m) => m.explorer!.time <= task.start && task.start <= m.explorer!.time + timeoutMs && sameUser(m.start.sid, task.sid)) ??
      withoutShell.find((m) => m.start.time <= task.start && task.start <= m.start.time + timeoutMs && sameUser(m.start.sid, task.sid));
    owner?.tasks.push(task);
  }
  for (const m of withShell) m.tasks = contiguous(m.tasks, m.explorer!.time, quietMs);
  for (const m of withoutShell) if (m.tasks.length > 0) m.tasks = contiguous(m.tasks, Math.min(...m.tasks.map((t) => t.start)), quietMs);

  // Third-party subscribers: those that began between the 4624 and the shell start.
  const claimed = new Set<Run>();
  for (const m of logons) {
    const until = m.explorer?.time ?? m.start.time + timeoutMs;
    for (const s of subscribers) {
      if (claimed.has(s) || WINDOWS_SUBSCRIBERS.has(s.name.toLowerCase())) continue;
      if (s.start >= m.start.time && s.start <= until && sameUser(m.start.sid, s.sid)) {
        claimed.add(s);
        m.subscribers.push(s);
      }
    }
  }
  return logons;
}

// ---- the result ----

/** Total time covered by a set of intervals (subscribers may overlap), in ms. */
function coveredMs(runs: Run[]): number | undefined {
  const closed = runs.filter((r): r is Run & { end: number } => r.end !== undefined).sort((a, b) => a.start - b.start);
  if (closed.length === 0) return undefined;
  let total = 0;
  let [from, to] = [closed[0]!.start, closed[0]!.end];
  for (const r of closed.slice(1)) {
    if (r.start > to) {
      total += to - from;
      [from, to] = [r.start, r.end];
    } else to = Math.max(to, r.end);
  }
  return Math.round(total + to - from);
}

/** Each name's total time, slowest first. */
function byName(runs: Run[]): Array<{ name: string; ms: number }> {
  const totals = new Map<string, number>();
  for (const r of runs) if (r.end !== undefined) totals.set(r.name, (totals.get(r.name) ?? 0) + r.end - r.start);
  return [...totals].map(([name, ms]) => ({ name, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms);
}

function stalledIn(m: Milestones): WindowsPhase {
  if (m.userinit) return 'preShell';
  if (m.gpStart !== undefined) return 'groupPolicy';
  if (m.subscribers.some((s) => s.end === undefined)) return 'subscribers';
  if (m.profile) return 'profile';
  return 'winlogon';
}

interface Horizon {
  now: number;
  timeoutMs: number;
  quietMs: number;
  /** Whether Shell-Core logs logon tasks on this machine (any task in the input). */
  tasksLogged: boolean;
  /** Whether process creation (4688) is audited on this machine (any userinit or explorer start in the input). */
  processesLogged: boolean;
}

type ShellEnd = { ready: number; by: 'shell-core-logon-tasks' | 'explorer-start' } | { openTask: Run } | 'in progress';

/** When the desktop of a logon whose logon tasks ran was ready, or why we cannot say yet. */
function tasksEnd(m: Milestones, h: Horizon): ShellEnd | undefined {
  const open = m.tasks.find((t) => t.end === undefined);
  if (open) return { openTask: open };
  if (m.tasks.length === 0) return undefined;
  const last = Math.max(...m.tasks.map((t) => t.end!));
  if (m.loggedOffAt === undefined && h.now - last < h.quietMs) return 'in progress';
  return { ready: last, by: 'shell-core-logon-tasks' };
}

/** When the desktop of a logon whose shell started was ready, or why we cannot say yet. */
function shellEnd(m: Milestones & { explorer: ProcessStart }, h: Horizon): ShellEnd {
  const byTasks = tasksEnd(m, h);
  if (byTasks !== undefined) return byTasks;
  // The channel logs tasks here but none of this logon's has started yet: wait, up to the timeout.
  if (h.tasksLogged && m.loggedOffAt === undefined && h.now - m.explorer.time < h.timeoutMs) return 'in progress';
  return { ready: m.explorer.time, by: 'explorer-start' };
}

/** Build the result for one logon, or undefined while it is still in progress. */
function summarise(m: Milestones, h: Horizon): WindowsLogon | undefined {
  const { start } = m;
  const { timeoutMs } = h;
  // Report the id that did the work (the filtered token of a UAC pair), else the first logged.
  const logonId = m.userinit?.logonId ?? m.explorer?.logonId ?? start.logonIds[0];
  // Without a logged shell start, the logon tasks alone can still say when the desktop was ready.
  const end = m.explorer ? shellEnd(m as Milestones & { explorer: ProcessStart }, h) : tasksEnd(m, h);
  if (end === 'in progress') return undefined;
  const ready = end !== undefined && 'ready' in end ? end : undefined;
  const tasksMs = ready?.by === 'shell-core-logon-tasks' ? span(Math.min(...m.tasks.map((t) => t.start)), ready.ready) : undefined;
  const phases = compactPhases({
    winlogonMs: span(start.time, m.profile?.start),
    subscribersMs: coveredMs(m.subscribers),
    profileMs: span(m.profile?.start, m.profile?.end),
    groupPolicyMs: span(m.gpStart, m.gpEnd),
    gpScriptsMs: span(m.scriptsStart, m.scriptsEnd),
    preShellMs: span(m.userinit?.time, m.explorer?.time),
    shellMs: ready?.by === 'shell-core-logon-tasks' ? span(m.explorer?.time, ready.ready) : undefined,
    logonTasksMs: tasksMs,
  });
  const subscribers = byName(m.subscribers);
  const logonTasks = byName(m.tasks);
  const base = {
    startedAt: start.time,
    phases,
    account: start.account,
    logonId,
    logonType: start.type,
    ...(subscribers.length > 0 ? { subscribers } : {}),
    ...(logonTasks.length > 0 ? { logonTasks } : {}),
  };

  if (ready) return { ...base, totalMs: ready.ready - start.time, ok: true, readyBy: ready.by };
  if (end !== undefined && 'openTask' in end) {
    // The shell started but one of its logon tasks never finished: the desktop never became usable.
    const gaveUpAt = (m.explorer?.time ?? Math.min(...m.tasks.map((t) => t.start))) + timeoutMs;
    if (m.loggedOffAt !== undefined && m.loggedOffAt < gaveUpAt) {
      return { ...base, totalMs: m.loggedOffAt - start.time, ok: false, reason: 'logged off before the logon tasks finished', stalledIn: 'logonTasks' };
    }
    if (h.now < gaveUpAt) return undefined;
    return { ...base, totalMs: gaveUpAt - start.time, ok: false, reason: `logon task "${end.openTask.name}" did not finish within ${describeTimeout(timeoutMs)}`, stalledIn: 'logonTasks' };
  }
  // Neither the shell's start nor its logon tasks are logged on this machine (process creation not
  // audited, Shell-Core's log off): when the desktop came cannot be told, so the logon is not reported
  // — not as a logon that failed after the whole timeout, which the user did not wait. (The agent's
  // status says why no logons arrive: docs/agent-install.md.)
  if (!h.processesLogged && !h.tasksLogged && m.userinit === undefined) return undefined;
  if (m.loggedOffAt !== undefined && m.loggedOffAt - start.time < timeoutMs) {
    return { ...base, totalMs: m.loggedOffAt - start.time, ok: false, reason: 'logged off before shell start', stalledIn: stalledIn(m) };
  }
  if (h.now - start.time >= timeoutMs) {
    // We waited the whole timeout; the user waited at least that long too.
    return { ...base, totalMs: timeoutMs, ok: false, reason: `no shell start within ${describeTimeout(timeoutMs)}`, stalledIn: stalledIn(m) };
  }
  return undefined; // still in progress: report it on a later read
}

/**
 * Interactive logons in the input, oldest first, each with its phases. Logons still in progress
 * (no desktop yet, younger than the timeout) are left out.
 */
export function parseWindowsLogons(input: string, options: ParseWindowsLogonOptions = {}): WindowsLogon[] {
  const records = readWinEventJson(input);
  if (records.length === 0) return [];
  const timeoutMs = options.shellTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  const horizon: Horizon = {
    now: options.now ?? records[records.length - 1]!.time,
    timeoutMs,
    quietMs: options.quietMs ?? DEFAULT_QUIET_MS,
    tasksLogged: logonTaskRuns(records).length > 0,
    processesLogged: options.processCreationAudited ?? records.some((r) => processStart(r) !== undefined),
  };
  return correlate(records, timeoutMs, horizon.quietMs)
    .map((m) => summarise(m, horizon))
    .filter((l): l is WindowsLogon => l !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt);
}
