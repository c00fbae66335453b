// Wi-Fi readings from the platform's tools: netsh on Windows, iw (or /proc/net/wireless) on Linux.
import { readFile } from 'node:fs/promises';
import { parseIwLink, parseNetshWlan, parseProcNetWireless, type WifiReading } from '../collect/index.ts';
import { runCommand, type RunCommand } from './command.ts';

export interface WifiProbeOptions {
  platform?: NodeJS.Platform;
  /** Linux interface name; found from /proc/net/wireless when not given. */
  interface?: string;
  run?: RunCommand;
  readText?: (path: string) => Promise<string>;
}

/** A reading, or null when the device has no wireless adapter (wired workstations). */
export async function readWifi(options: WifiProbeOptions = {}): Promise<WifiReading | null> {
  const platform = options.platform ?? process.platform;
  const run = options.run ?? runCommand;
  const readText = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  if (platform === 'win32') return parseNetshWlan(await run('netsh', ['wlan', 'show', 'interfaces']));
  let proc = '';
  try {
    proc = await readText('/proc/net/wireless');
  } catch {
    // no wireless extensions: no adapter, unless iw knows better
  }
  const name = options.interface ?? /^\s*([^\s:]+):/m.exec(proc.split('\n').slice(2).join('\n'))?.[1];
  if (!name) return proc ? parseProcNetWireless(proc) : null;
  try {
    return parseIwLink(await run('iw', ['dev', name, 'link']));
  } catch {
    return proc ? parseProcNetWireless(proc) : null;
  }
}
