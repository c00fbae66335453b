// The event-log records the Windows logon parser reads, and what each one means. Input is the JSON the
// agent's query prints (packages/agent/src/probes/logons.ts): one object per event with its Id,
// Version, LogName, TimeCreated, the record's UserId and `Data`, the event's EventData fields by name
// (`Event.EventData.Data` of `$_.ToXml()`, each value the text the XML holds).
//
// Fields are read by name, never by position: a new event version (Security 4624 v3 inserted
// RemoteCredentialGuard at index 22) adds fields without moving the ones we read. Layouts, per
// event and version, are in packages/agent/fixtures/README.md with where each comes from.

export const LOG = {
  security: 'security',
  winlogon: 'microsoft-windows-winlogon/operational',
  profile: 'microsoft-windows-user profile service/operational',
  groupPolicy: 'microsoft-windows-grouppolicy/operational',
  shellCore: 'microsoft-windows-shell-core/operational',
} as const;

export interface WinRecord {
  id: number;
  log: string;
  time: number;
  /** EventData fields by name, as text. */
  data: Record<string, string>;
  /** The record's System/Security UserID: the user for profile, Shell-Core and Winlogon events; S-1-5-18 for Group Policy. */
  userSid?: string;
}

/** Parse the ConvertTo-Json text into records, oldest first. */
export function readWinEventJson(input: string): WinRecord[] {
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
  if (r.Data === undefined && r.Properties !== undefined) {
    // The query before named fields printed `$_.Properties.Value`, a list read by position.
    throw new Error(
      `parseWindowsLogons: record ${index} (Id ${id}) has positional Properties and no named Data; ` +
        'the parser reads EventData fields by name: use the query in packages/agent/src/probes/logons.ts',
    );
  }
  const log = typeof r.LogName === 'string' ? r.LogName.toLowerCase() : '';
  const userSid = sidValue(r.UserId);
  return { id, log, time, data: dataFields(r.Data, index, id), ...(userSid ? { userSid } : {}) };
}

/** `Data` is an object of name → text; an event without EventData prints `{}` (or null). */
function dataFields(value: unknown, index: number, id: number): Record<string, string> {
  const v = unwrapPsObject(value);
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`parseWindowsLogons: record ${index} (Id ${id}) has a Data that is not an object of named fields`);
  }
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(v as Record<string, unknown>)) {
    // The XML holds text; numbers and booleans are accepted too, as text, for hand-made input.
    if (typeof field === 'string') out[name] = field;
    else if (typeof field === 'number' || typeof field === 'boolean') out[name] = String(field);
  }
  return out;
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
 * Windows PowerShell 5.1 sometimes serialises a PSObject-wrapped value as {"value": ..., "Count": n}
 * and a wrapped DateTime as {"value": "/Date(..)/", "DateTime": "..."}; take the value either way.
 */
function unwrapPsObject(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

/** A SID as text, or a SecurityIdentifier printed as {"BinaryLength":..,"AccountDomainSid":..,"Value":"S-1-5-.."}. */
function sidValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value.startsWith('S-')) return value;
  if (value !== null && typeof value === 'object' && typeof (value as { Value?: unknown }).Value === 'string') {
    return sidValue((value as { Value: string }).Value);
  }
  return undefined;
}

/** A field's text, or undefined when absent, empty or "-" (how the Security log writes "none"). */
function field(r: WinRecord, name: string): string | undefined {
  const v = r.data[name];
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

/** Logon ids are "0x5a3c1f2" in the XML (a HexInt64); we keep that lower-case hex form. */
export function logonIdValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^0x[0-9a-f]+$/i.test(value) || /^\d+$/.test(value)) return `0x${BigInt(value).toString(16)}`;
  return undefined;
}

function integer(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** win:Boolean prints "true"/"false"; GroupPolicy's IsMachine became a UInt32 ("1"/"0") in later versions. */
function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

// ---- what each record means ----

export type InteractiveType = 2 | 10 | 11;

export interface LogonStart {
  time: number;
  logonIds: string[];
  type: InteractiveType;
  account: string;
  sid?: string;
}

const INTERACTIVE_TYPES = new Set([2, 10, 11]);
/** Per-session virtual accounts that log type 2 logons of their own. */
const VIRTUAL_DOMAINS = new Set(['window manager', 'font driver host']);
/** "%%1842" is the message-table id for "Yes" (4624 VirtualAccount, ElevatedToken). */
const YES = '%%1842';

/** Security 4624 (versions 0–3): an interactive logon of a real account. */
export function interactiveLogon(r: WinRecord): LogonStart | undefined {
  if (r.log !== LOG.security || r.id !== 4624) return undefined;
  const type = integer(field(r, 'LogonType'));
  if (type === undefined || !INTERACTIVE_TYPES.has(type)) return undefined;
  const domain = field(r, 'TargetDomainName') ?? '';
  if (VIRTUAL_DOMAINS.has(domain.toLowerCase()) || field(r, 'VirtualAccount') === YES) return undefined;
  const logonId = logonIdValue(field(r, 'TargetLogonId'));
  if (!logonId) return undefined;
  const user = field(r, 'TargetUserName') ?? '';
  // TargetLinkedLogonId (version 2 on): the other half of a UAC split token.
  const linked = logonIdValue(field(r, 'TargetLinkedLogonId'));
  const sid = field(r, 'TargetUserSid');
  return {
    time: r.time,
    logonIds: linked && linked !== '0x0' ? [logonId, linked] : [logonId],
    type: type as InteractiveType,
    account: domain ? `${domain}\\${user}` : user,
    ...(sid?.startsWith('S-') ? { sid } : {}),
  };
}

export interface ProcessStart {
  time: number;
  logonId: string;
  /** Lower-case file name, e.g. "explorer.exe". */
  image: string;
}

/**
 * Security 4688 (version 2). userinit.exe is created by winlogon as SYSTEM, so its user is in the
 * Target* fields; explorer.exe is created by userinit under the user's own token, so it is in
 * Subject*. We take TargetLogonId when set, else SubjectLogonId.
 */
export function processStart(r: WinRecord): ProcessStart | undefined {
  if (r.log !== LOG.security || r.id !== 4688) return undefined;
  const path = field(r, 'NewProcessName');
  if (!path) return undefined;
  const target = logonIdValue(field(r, 'TargetLogonId'));
  const logonId = target && target !== '0x0' ? target : logonIdValue(field(r, 'SubjectLogonId'));
  if (!logonId) return undefined;
  return { time: r.time, logonId, image: path.split('\\').pop()!.toLowerCase() };
}

/** Security 4647 (user initiated logoff) and 4634 (logoff): TargetLogonId in both. */
export function logoff(r: WinRecord): { time: number; logonId: string } | undefined {
  if (r.log !== LOG.security || (r.id !== 4647 && r.id !== 4634)) return undefined;
  const logonId = logonIdValue(field(r, 'TargetLogonId'));
  return logonId ? { time: r.time, logonId } : undefined;
}

/** A start/stop pair of one thing (a profile load, a subscriber, a logon task). */
export interface Run {
  name: string;
  start: number;
  end?: number;
  sid?: string;
}

/**
 * Pair start and stop records of one kind, first-in first-out per key, so interleaved runs (two
 * sessions, two tasks) cannot swap ends. `key` returns undefined for a record that is not one of them.
 */
function pairRuns(
  records: WinRecord[],
  key: (r: WinRecord) => { name: string; pairKey: string; starts: boolean } | undefined,
): Run[] {
  const open = new Map<string, Run[]>();
  const all: Run[] = [];
  for (const r of records) {
    const k = key(r);
    if (!k) continue;
    const pairKey = `${r.userSid ?? ''}|${k.pairKey}`;
    if (k.starts) {
      const run: Run = { name: k.name, start: r.time, ...(r.userSid ? { sid: r.userSid } : {}) };
      all.push(run);
      open.set(pairKey, [...(open.get(pairKey) ?? []), run]);
    } else {
      const waiting = open.get(pairKey);
      const run = waiting?.shift();
      if (run) run.end = r.time;
    }
  }
  return all;
}

/** User Profile Service 1 ("Received user logon notification on session N") → 2 ("Finished ..."), by Session and user. */
export function profileRuns(records: WinRecord[]): Run[] {
  return pairRuns(records, (r) => {
    if (r.log !== LOG.profile || (r.id !== 1 && r.id !== 2)) return undefined;
    const session = field(r, 'Session');
    return session === undefined ? undefined : { name: 'profile', pairKey: session, starts: r.id === 1 };
  });
}

/**
 * Winlogon 811/812 ([Event, SubscriberName]): a notification subscriber began/finished handling a
 * Winlogon notification (Event 2 is the logon, 12 the shell start, as logged for FSLogix's frxsvc).
 */
export function subscriberRuns(records: WinRecord[]): Run[] {
  return pairRuns(records, (r) => {
    if (r.log !== LOG.winlogon || (r.id !== 811 && r.id !== 812)) return undefined;
    const name = field(r, 'SubscriberName');
    return name === undefined ? undefined : { name, pairKey: `${name.toLowerCase()}|${field(r, 'Event') ?? ''}`, starts: r.id === 811 };
  });
}

/** Shell-Core 62170/62171 (LogonPerformance_TaskRunTime start/stop, [LogonType, TaskName]): one logon task. */
export function logonTaskRuns(records: WinRecord[]): Run[] {
  return pairRuns(records, (r) => {
    if (r.log !== LOG.shellCore || (r.id !== 62170 && r.id !== 62171)) return undefined;
    const name = field(r, 'TaskName');
    return name === undefined ? undefined : { name, pairKey: name, starts: r.id === 62170 };
  });
}

export interface GpEvent {
  time: number;
  /** PrincipalSamName, lower case: "nhs\\jsmith01". */
  account: string;
  starts: boolean;
}

/**
 * GroupPolicy 4001 (user logon policy processing starts) and 8001 (completes) or 7001 (failed). The
 * record's UserId is the Group Policy service (S-1-5-18), never the user, so PrincipalSamName is the
 * only key.
 */
export function groupPolicyEvent(r: WinRecord): GpEvent | undefined {
  if (r.log !== LOG.groupPolicy || (r.id !== 4001 && r.id !== 8001 && r.id !== 7001)) return undefined;
  if (isTrue(field(r, 'IsMachine'))) return undefined;
  const account = field(r, 'PrincipalSamName');
  if (!account) return undefined;
  return { time: r.time, account: account.toLowerCase(), starts: r.id === 4001 };
}

/** ScriptType 1: the user's logon scripts (the type Analyze Logon Duration reads). */
const LOGON_SCRIPTS = '1';

/**
 * GroupPolicy 4018 ("Starting {ScriptType} for {PrincipalSamName}") and 5018 ("Completed ... in
 * {ScriptElaspedTimeInSeconds} seconds") or 7018 (failed): the user's Group Policy logon scripts.
 */
export function gpScriptEvent(r: WinRecord): GpEvent | undefined {
  if (r.log !== LOG.groupPolicy || (r.id !== 4018 && r.id !== 5018 && r.id !== 7018)) return undefined;
  const type = field(r, 'ScriptType');
  if (type !== undefined ? type !== LOGON_SCRIPTS : r.id !== 7018) return undefined;
  const account = field(r, 'PrincipalSamName');
  if (!account) return undefined;
  return { time: r.time, account: account.toLowerCase(), starts: r.id === 4018 };
}
