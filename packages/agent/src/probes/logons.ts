// OS logons: the event-log (Windows) or journal (Linux) records since the last look, parsed into
// logons with phases. Each logon is reported once: the probe remembers what it has reported.
import { parseLinuxSessions, parseWindowsLogons, type ParsedLogon } from '../collect/index.ts';
import { runCommand, type RunCommand } from './command.ts';

/** The logs the Windows parser reads (see packages/agent/fixtures/README.md). */
export const WINDOWS_LOGON_LOGS = [
  'Security',
  'Microsoft-Windows-Winlogon/Operational',
  'Microsoft-Windows-User Profile Service/Operational',
  'Microsoft-Windows-GroupPolicy/Operational',
  'Microsoft-Windows-Shell-Core/Operational',
] as const;

/**
 * Their event ids: 4624/4688/4647/4634 Security, 811/812 Winlogon, 1/2 profile, 4001/8001/7001 Group
 * Policy and 4018/5018/7018 its logon scripts, 62170/62171 logon tasks.
 */
export const WINDOWS_LOGON_EVENT_IDS = [4624, 4688, 4647, 4634, 811, 812, 1, 2, 4001, 8001, 7001, 4018, 5018, 7018, 62170, 62171] as const;

/**
 * The query: each event with its EventData fields by name (from the event's XML), so the parser never
 * depends on field positions, which move between event versions. deploy/agent/capture-logon-events.ps1
 * runs the same selection for a sanitised sample.
 */
export function windowsLogonQuery(sinceMinutes: number): string {
  return `
$ErrorActionPreference = 'SilentlyContinue'
Get-WinEvent -FilterHashtable @{
  LogName = ${WINDOWS_LOGON_LOGS.map((l) => `'${l}'`).join(',')}
  Id = ${WINDOWS_LOGON_EVENT_IDS.join(',')}
  StartTime = (Get-Date).AddMinutes(-${sinceMinutes})
} | ForEach-Object {
  $data = [ordered]@{}
  foreach ($d in ([xml]$_.ToXml()).Event.EventData.Data) { if ($d.GetAttribute('Name')) { $data[$d.GetAttribute('Name')] = $d.InnerText } }
  [pscustomobject]@{ Id = $_.Id; Version = $_.Version; ProviderName = $_.ProviderName; LogName = $_.LogName; TimeCreated = $_.TimeCreated; UserId = $(if ($_.UserId) { $_.UserId.Value }); Data = $data }
} | ConvertTo-Json -Depth 4 -Compress`;
}

export interface LogonProbeOptions {
  platform?: NodeJS.Platform;
  run?: RunCommand;
  /** How far back each look reaches: past the longest logon, so a logon in progress is seen whole later. */
  lookBackMinutes?: number;
}

export class LogonProbe {
  private readonly reported = new Map<string, number>();
  private readonly platform: NodeJS.Platform;
  private readonly run: RunCommand;
  private readonly lookBack: number;
  /** Whether a logon read here had its shell start logged (4688): process creation is audited on this machine. */
  private processCreationAudited = false;

  constructor(options: LogonProbeOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.run = options.run ?? runCommand;
    this.lookBack = options.lookBackMinutes ?? 30;
  }

  /** Logons finished (or given up on) since the last call. */
  async poll(now = Date.now()): Promise<ParsedLogon[]> {
    let logons: ParsedLogon[];
    if (this.platform === 'win32') {
      const text = await this.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', windowsLogonQuery(this.lookBack)], 60_000);
      logons = text.trim() ? parseWindowsLogons(text, { now, ...(this.processCreationAudited ? { processCreationAudited: true } : {}) }) : [];
      if (logons.some((logon) => logon.phases.preShellMs !== undefined)) this.processCreationAudited = true;
    } else if (this.platform === 'linux') {
      const text = await this.run('journalctl', ['-o', 'json', '--no-pager', '--since', `-${this.lookBack}min`], 60_000);
      logons = text.trim() ? parseLinuxSessions(text, { now }) : [];
    } else {
      return [];
    }
    const fresh = logons.filter((logon) => !this.reported.has(keyOf(logon)));
    for (const logon of fresh) this.reported.set(keyOf(logon), logon.startedAt);
    // Forget what has left the look-back window: it cannot be seen again.
    for (const [key, startedAt] of this.reported) if (startedAt < now - 2 * this.lookBack * 60_000) this.reported.delete(key);
    return fresh;
  }
}

const keyOf = (logon: ParsedLogon) => `${logon.startedAt}/${logon.logonId ?? logon.account ?? ''}`;
