// OS logons: the event-log (Windows) or journal (Linux) records since the last look, parsed into
// logons with phases. Each logon is reported once: the probe remembers what it has reported.
import { parseLinuxSessions, parseWindowsLogons, type ParsedLogon } from '../collect/index.ts';
import { runCommand, type RunCommand } from './command.ts';

// The events and logs are those the Windows parser reads (see packages/agent/fixtures/README.md).
const WINDOWS_QUERY = (sinceMinutes: number) => `
$ErrorActionPreference = 'SilentlyContinue'
Get-WinEvent -FilterHashtable @{
  LogName = 'Security','Microsoft-Windows-Winlogon/Operational','Microsoft-Windows-User Profile Service/Operational','Microsoft-Windows-GroupPolicy/Operational','Microsoft-Windows-Shell-Core/Operational'
  Id = 4624,4688,4647,4634,811,812,1,2,4001,8001,62171
  StartTime = (Get-Date).AddMinutes(-${sinceMinutes})
} | Select-Object Id, ProviderName, LogName, TimeCreated, MachineName, UserId, @{n='Properties';e={$_.Properties.Value}} | ConvertTo-Json -Depth 4`;

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

  constructor(options: LogonProbeOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.run = options.run ?? runCommand;
    this.lookBack = options.lookBackMinutes ?? 30;
  }

  /** Logons finished (or given up on) since the last call. */
  async poll(now = Date.now()): Promise<ParsedLogon[]> {
    let logons: ParsedLogon[];
    if (this.platform === 'win32') {
      const text = await this.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_QUERY(this.lookBack)], 60_000);
      logons = text.trim() ? parseWindowsLogons(text, { now }) : [];
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
