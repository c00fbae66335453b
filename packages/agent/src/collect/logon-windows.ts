// Windows logon durations from the event log, phase by phase, the way logon-analysis tools
// (e.g. ControlUp's "Analyze Logon Duration") read them. Input is the JSON PowerShell prints for
//
//   Get-WinEvent -FilterHashtable @{ LogName = 'Security', 'Microsoft-Windows-Winlogon/Operational',
//       'Microsoft-Windows-User Profile Service/Operational', 'Microsoft-Windows-GroupPolicy/Operational',
//       'Microsoft-Windows-Shell-Core/Operational'; Id = 4624, 4688, 4647, 4634, 811, 812, 1, 2, 4001, 8001, 62171;
//       StartTime = (Get-Date).AddHours(-2) } |
//     Select-Object Id, ProviderName, LogName, TimeCreated, MachineName, @{n='Properties';e={$_.Properties.Value}} |
//     ConvertTo-Json -Depth 4
//
// Milestones of one logon and the phases between them (all times are the events' TimeCreated):
//
//   Security 4624 (TargetLogonId, LogonType 2/10/11) ─ credentials accepted, the logon starts
//     winlogonMs:    4624 → profile load starts (User Profile Service 1; Winlogon 811 "Profiles" if that log is off)
//     profileMs:     User Profile Service 1 → 2 (same session number)
//     groupPolicyMs: GroupPolicy 4001 → 8001 for the same account (user logon policy)
//     preShellMs:    Security 4688 userinit.exe → 4688 explorer.exe (same logon id)
//     shellMs:       explorer.exe start → Shell-Core 62171 (desktop ready)
//   totalMs: 4624 → desktop ready.
//
// Phases are each measured from their own events, so gaps between them (and asynchronous Group
// Policy, which overlaps the shell) mean they need not add up to totalMs.
//
// Desktop ready: Shell-Core/Operational 62171, a marker the shell logs during its start-up in the
// user's session. We read only its time (its properties are not relied on), and only the first one
// after that logon's explorer.exe start counts. Without it (the log disabled or cleared) we fall
// back to the explorer.exe start and say so in `readyBy`; we do not invent a "settle" delay, because a made-up constant would hide
// exactly the slow shells this monitor exists to find.
//
// Correlation, so two logons that overlap (console + RDP, or fast user switching) never swap phases:
//   - 4624/4688/4647/4634 carry the logon id: exact. 4688 for userinit.exe is created by winlogon
//     as SYSTEM, so its user is in the Target* fields; explorer.exe is created by userinit under
//     the user's own token, so it is in Subject*. We take TargetLogonId when set, else SubjectLogonId.
//   - GroupPolicy 4001/8001 carry the account (PrincipalSamName): exact per user.
//   - User Profile Service 1/2 carry only a session number, Shell-Core 62171 nothing about the user
//     in its properties. We pair 1 with 2 by session, then give each logon the first unclaimed
//     interval after its 4624 that ends before its userinit.exe; likewise the first unclaimed 62171
//     after its explorer.exe. If the input also carries the record's `UserId` (add UserId to the
//     Select-Object), a SID mismatch rules a candidate out, which makes these exact too.
//   - A UAC administrator gets two linked 4624s (full and filtered token, TargetLinkedLogonId
//     pointing at each other); they are one logon, not one good and one "interrupted".
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

export type WindowsPhase = 'winlogon' | 'profile' | 'groupPolicy' | 'preShell';

export interface WindowsLogon extends ParsedLogon {
  /** 2 interactive (console), 10 remote interactive (RDP), 11 cached interactive (no DC reachable). */
  logonType: 2 | 10 | 11;
  /** What marked the desktop ready, for a logon that got one. */
  readyBy?: 'shell-core-62171' | 'explorer-start';
  /** For an interrupted logon: the last phase that had started, i.e. where it got stuck. */
  stalledIn?: WindowsPhase;
}

// ---- the records ----

const LOG = {
  security: 'security',
  winlogon: 'microsoft-windows-winlogon/operational',
  profile: 'microsoft-windows-user profile service/operational',
  groupPolicy: 'microsoft-windows-grouppolicy/operational',
  shellCore: 'microsoft-windows-shell-core/operational',
} as const;

interface WinRecord {
  id: number;
  log: string;
  time: number;
  props: unknown[];
  /** The record's UserId (SID), only when the caller selected it. */
  userSid?: string;
}

/** Parse the ConvertTo-Json text into records, oldest first. */
function readWinEventJson(input: string): WinRecord[] {
  const text = input.replace(/^\uFEFF/, '').trim(); // Windows PowerShell may write a BOM
  if (text === '') return []; // Get-WinEvent found nothing: ConvertTo-Json prints nothing
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`parseWindowsLogons: input is not JSON from ConvertTo-Json (${(error as Error).message})`);
  }
  // ConvertTo-Json prints a lone object, not a one-element array, when there is a single event.
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const records = list.map((raw, index) => toRecord(raw, index));
  // Get-WinEvent prints newest first; a stable sort keeps same-millisecond events in a fixed order.
  return records.sort((a, b) => a.time - b.time);
}

function toRecord(raw: unknown, index: number): WinRecord {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`parseWindowsLogons: record ${index} is not an object`);
  }
  const r = raw as Record<string, unknown>;
  const id = typeof r.Id === 'number' ? r.Id : Number.NaN;
  if (!Number.isInteger(id)) throw new Error(`parseWindowsLogons: record ${index} has no numeric Id`);
  const time = parseTimeCreated(r.TimeCreated);
  if (time === undefined) {
    throw new Error(`parseWindowsLogons: record ${index} (Id ${id}) has an unreadable TimeCreated ${JSON.stringify(r.TimeCreated)}`);
  }
  const log = typeof r.LogName === 'string' ? r.LogName.toLowerCase() : '';
  const userSid = sidValue(r.UserId);
  return { id, log, time, props: propertyList(r.Properties), ...(userSid ? { userSid } : {}) };
}

/**
 * TimeCreated as Windows PowerShell 5.1 prints it ("/Date(1732521490234)/", UTC ms, sometimes with
 * a "+0000" offset that does not change the ms) or as PowerShell 7 does (ISO 8601 with a local
 * offset and up to 7 fractional digits, which we truncate to ms like .NET does).
 */
export function parseTimeCreated(value: unknown): number | undefined {
  const v = unwrapPsObject(value);
  if (typeof v !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v);
  if (ms) return Number(ms[1]);
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!iso) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone] = iso;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, Number(frac.padEnd(3, '0').slice(0, 3)));
  // No offset at all would mean "machine local time", which we cannot know: refuse rather than guess.
  if (zone === undefined) return undefined;
  if (zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return local - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/**
 * Windows PowerShell 5.1 sometimes serialises a PSObject-wrapped array as {"value": [...], "Count": n}
 * and a wrapped DateTime as {"value": "/Date(..)/", "DateTime": "..."}; take the value either way.
 */
function unwrapPsObject(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

/** `$_.Properties.Value` is an array, a bare scalar when the event has one property, or null. */
function propertyList(value: unknown): unknown[] {
  const v = unwrapPsObject(value);
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A SecurityIdentifier prints as {"BinaryLength":..,"AccountDomainSid":..,"Value":"S-1-5-.."}. */
function sidValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value.startsWith('S-')) return value;
  if (value !== null && typeof value === 'object' && typeof (value as { Value?: unknown }).Value === 'string') {
    return (value as { Value: string }).Value;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Logon ids print as UInt64 numbers (or "0x..." strings); we keep the hex form Event Viewer shows. */
export function logonIdValue(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return `0x${value.toString(16)}`;
  if (typeof value === 'string') {
    if (/^0x[0-9a-f]+$/i.test(value)) return `0x${BigInt(value).toString(16)}`;
    if (/^\d+$/.test(value)) return `0x${BigInt(value).toString(16)}`;
  }
  return undefined;
}

// ---- what each record means ----

interface LogonStart {
  time: number;
  logonIds: string[];
  type: 2 | 10 | 11;
  account: string;
  sid?: string;
}

/** Security 4624 field positions (event version 2). */
const F4624 = { targetSid: 4, targetUser: 5, targetDomain: 6, targetLogonId: 7, logonType: 8, virtualAccount: 24, linkedLogonId: 25 };
/** Security 4688 field positions (event version 2). */
const F4688 = { subjectLogonId: 3, newProcessName: 5, targetLogonId: 12 };
/** Security 4647 and 4634: TargetLogonId is the fourth field in both. */
const LOGOFF_LOGON_ID = 3;

const INTERACTIVE_TYPES = new Set([2, 10, 11]);
/** Per-session virtual accounts that log type 2 logons of their own. */
const VIRTUAL_DOMAINS = new Set(['window manager', 'font driver host']);
/** "%%1842" is the message-table id for "Yes" in 4624's VirtualAccount field. */
const YES = '%%1842';

function interactiveLogon(r: WinRecord): LogonStart | undefined {
  if (r.log !== LOG.security || r.id !== 4624) return undefined;
  const p = r.props;
  const type = num(p[F4624.logonType]);
  if (type === undefined || !INTERACTIVE_TYPES.has(type)) return undefined;
  const domain = str(p[F4624.targetDomain]) ?? '';
  if (VIRTUAL_DOMAINS.has(domain.toLowerCase()) || p[F4624.virtualAccount] === YES) return undefined;
  const logonId = logonIdValue(p[F4624.targetLogonId]);
  if (!logonId) return undefined;
  const user = str(p[F4624.targetUser]) ?? '';
  const linked = logonIdValue(p[F4624.linkedLogonId]);
  const sid = sidValue(p[F4624.targetSid]);
  return {
    time: r.time,
    logonIds: linked && linked !== '0x0' ? [logonId, linked] : [logonId],
    type: type as 2 | 10 | 11,
    account: domain ? `${domain}\\${user}` : user,
    ...(sid ? { sid } : {}),
  };
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

interface ProcessStart {
  time: number;
  logonId: string;
  image: string; // lower-case file name, e.g. "explorer.exe"
}

function processStart(r: WinRecord): ProcessStart | undefined {
  if (r.log !== LOG.security || r.id !== 4688) return undefined;
  const path = str(r.props[F4688.newProcessName]);
  if (!path) return undefined;
  const target = logonIdValue(r.props[F4688.targetLogonId]);
  const logonId = target && target !== '0x0' ? target : logonIdValue(r.props[F4688.subjectLogonId]);
  if (!logonId) return undefined;
  return { time: r.time, logonId, image: path.split('\\').pop()!.toLowerCase() };
}

function logoff(r: WinRecord): { time: number; logonId: string } | undefined {
  if (r.log !== LOG.security || (r.id !== 4647 && r.id !== 4634)) return undefined;
  const logonId = logonIdValue(r.props[LOGOFF_LOGON_ID]);
  return logonId ? { time: r.time, logonId } : undefined;
}

interface Interval {
  start: number;
  end?: number;
  sid?: string;
}

/**
 * User Profile Service 1 ("Received user logon notification on session N") and 2 ("Finished
 * processing ... on session N"), paired by session so interleaved logons cannot swap ends.
 */
function profileIntervals(records: WinRecord[]): Interval[] {
  const open = new Map<number, Interval>();
  const all: Interval[] = [];
  for (const r of records) {
    if (r.log !== LOG.profile || (r.id !== 1 && r.id !== 2)) continue;
    const session = num(r.props[0]);
    if (session === undefined) continue;
    if (r.id === 1) {
      const interval: Interval = { start: r.time, ...(r.userSid ? { sid: r.userSid } : {}) };
      open.set(session, interval);
      all.push(interval);
    } else {
      const interval = open.get(session);
      if (interval) {
        interval.end = r.time;
        open.delete(session);
      }
    }
  }
  return all;
}

/**
 * Winlogon 811/812 (or 1/2): a notification subscriber began/finished handling a Winlogon event.
 * The "Profiles" subscriber brackets the profile load, so it stands in when the User Profile
 * Service log is disabled. Without a session number these pair in order, so the fallback is only
 * exact for logons that do not overlap.
 */
function winlogonProfileIntervals(records: WinRecord[]): Interval[] {
  const all: Interval[] = [];
  let open: Interval | undefined;
  for (const r of records) {
    if (r.log !== LOG.winlogon) continue;
    const begins = r.id === 811 || r.id === 1;
    const ends = r.id === 812 || r.id === 2;
    if (!begins && !ends) continue;
    const subscriber = r.props.find((p): p is string => typeof p === 'string');
    if (subscriber?.toLowerCase() !== 'profiles') continue;
    if (begins) {
      open = { start: r.time };
      all.push(open);
    } else if (open) {
      open.end = r.time;
      open = undefined;
    }
  }
  return all;
}

interface GpEvent {
  time: number;
  account: string;
  starts: boolean;
  sid?: string;
}

/** GroupPolicy 4001 (user logon policy starts) and 8001 (completes), keyed by PrincipalSamName. */
function groupPolicyEvent(r: WinRecord): GpEvent | undefined {
  if (r.log !== LOG.groupPolicy || (r.id !== 4001 && r.id !== 8001)) return undefined;
  // PrincipalSamName is the only DOMAIN\user string in either event; finding it by shape keeps us
  // independent of the field order, which differs between 4001 and 8001.
  const account = r.props.find((p): p is string => typeof p === 'string' && p.includes('\\'));
  if (!account) return undefined;
  return { time: r.time, account: account.toLowerCase(), starts: r.id === 4001, ...(r.userSid ? { sid: r.userSid } : {}) };
}

function desktopReady(r: WinRecord): { time: number; sid?: string } | undefined {
  if (r.log !== LOG.shellCore || r.id !== 62171) return undefined;
  return { time: r.time, ...(r.userSid ? { sid: r.userSid } : {}) };
}

/** A SID on both sides that differs rules a candidate out; a missing SID rules nothing out. */
function sameUser(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

// ---- one logon's milestones ----

interface Milestones {
  start: LogonStart;
  profile?: Interval;
  gpStart?: number;
  gpEnd?: number;
  userinit?: ProcessStart;
  explorer?: ProcessStart;
  ready?: number;
  loggedOffAt?: number;
}

/** Give each logon (in start order) the first unclaimed candidate that fits it. */
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

function correlate(records: WinRecord[], timeoutMs: number): Milestones[] {
  const starts = mergeLinkedLogons(records.map(interactiveLogon).filter((s): s is LogonStart => s !== undefined));
  const procs = records.map(processStart).filter((p): p is ProcessStart => p !== undefined);
  const logoffs = records.map(logoff).filter((l): l is { time: number; logonId: string } => l !== undefined);
  const logons: Milestones[] = starts.map((start) => ({ start }));
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
  claimInOrder(logons, gp.filter((g) => g.starts), (m, g) => g.account === account(m) && sameUser(m.start.sid, g.sid) && within(m, g.time), (m, g) => (m.gpStart = g.time));
  claimInOrder(
    logons.filter((m) => m.gpStart !== undefined),
    gp.filter((g) => !g.starts),
    (m, g) => g.account === account(m) && g.time >= m.gpStart!,
    (m, g) => (m.gpEnd = g.time),
  );

  // By session pairing and order: a logon's profile loads after its 4624 and before its userinit.
  const profileFits = (m: Milestones, i: Interval) =>
    within(m, i.start) && sameUser(m.start.sid, i.sid) && (m.userinit === undefined || i.end === undefined || i.end <= m.userinit.time);
  claimInOrder(logons, profileIntervals(records), profileFits, (m, i) => (m.profile = i));
  claimInOrder(logons.filter((m) => m.profile === undefined), winlogonProfileIntervals(records), profileFits, (m, i) => (m.profile = i));

  // By order of explorer start: the first desktop-ready marker after each logon's shell starts.
  const withShell = logons.filter((m) => m.explorer !== undefined).sort((a, b) => a.explorer!.time - b.explorer!.time);
  const readies = records.map(desktopReady).filter((r): r is { time: number; sid?: string } => r !== undefined);
  claimInOrder(
    withShell,
    readies,
    (m, r) => r.time >= m.explorer!.time && r.time <= m.explorer!.time + timeoutMs && sameUser(m.start.sid, r.sid),
    (m, r) => (m.ready = r.time),
  );
  return logons;
}

// ---- the result ----

function stalledIn(m: Milestones): WindowsPhase {
  if (m.userinit) return 'preShell';
  if (m.gpStart !== undefined) return 'groupPolicy';
  if (m.profile) return 'profile';
  return 'winlogon';
}

/** Build the result for one logon, or undefined while it is still in progress. */
function summarise(m: Milestones, horizon: number, timeoutMs: number): WindowsLogon | undefined {
  const { start } = m;
  // Report the id that did the work (the filtered token of a UAC pair), else the first logged.
  const logonId = m.userinit?.logonId ?? m.explorer?.logonId ?? start.logonIds[0];
  const phases = compactPhases({
    winlogonMs: span(start.time, m.profile?.start),
    profileMs: span(m.profile?.start, m.profile?.end),
    groupPolicyMs: span(m.gpStart, m.gpEnd),
    preShellMs: span(m.userinit?.time, m.explorer?.time),
    shellMs: m.explorer && m.ready !== undefined ? span(m.explorer.time, m.ready) : undefined,
  });
  const base = { startedAt: start.time, phases, account: start.account, logonId, logonType: start.type };

  if (m.explorer) {
    const end = m.ready ?? m.explorer.time;
    return { ...base, totalMs: end - start.time, ok: true, readyBy: m.ready !== undefined ? 'shell-core-62171' : 'explorer-start' };
  }
  if (m.loggedOffAt !== undefined && m.loggedOffAt - start.time < timeoutMs) {
    return { ...base, totalMs: m.loggedOffAt - start.time, ok: false, reason: 'logged off before shell start', stalledIn: stalledIn(m) };
  }
  if (horizon - start.time >= timeoutMs) {
    // We waited the whole timeout; the user waited at least that long too.
    return { ...base, totalMs: timeoutMs, ok: false, reason: `no shell start within ${describeTimeout(timeoutMs)}`, stalledIn: stalledIn(m) };
  }
  return undefined; // still in progress: report it on a later read
}

/**
 * Interactive logons in the input, oldest first, each with its phases. Logons still in progress
 * (no shell yet, younger than the timeout) are left out.
 */
export function parseWindowsLogons(input: string, options: ParseLogonOptions = {}): WindowsLogon[] {
  const records = readWinEventJson(input);
  if (records.length === 0) return [];
  const timeoutMs = options.shellTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  const horizon = options.now ?? records[records.length - 1]!.time;
  return correlate(records, timeoutMs)
    .map((m) => summarise(m, horizon, timeoutMs))
    .filter((l): l is WindowsLogon => l !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt);
}
