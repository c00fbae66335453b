// Parsers that turn what the OS logs and prints into payloads that fit the v1 contract.
// They are pure: the caller runs the commands (see fixtures/README.md for which) and passes the text.
export {
  DEFAULT_SHELL_TIMEOUT_MS,
  toLogonBody,
  type LogonBodyShape,
  type LogonPhases,
  type ParsedLogon,
  type ParseLogonOptions,
} from './logon-common.ts';
export { parseWindowsLogons, type ParseWindowsLogonOptions, type WindowsLogon, type WindowsPhase } from './logon-windows.ts';
export { parseLinuxSessions, type LinuxLogon } from './logon-linux.ts';
export {
  parseNetshWlan,
  parseIwLink,
  parseProcNetWireless,
  channelFromFrequency,
  dbmFromPercent,
  percentFromDbm,
  type WifiReading,
} from './wifi.ts';
