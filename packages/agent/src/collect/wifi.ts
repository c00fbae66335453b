// Wi-Fi link readings from the text the OS tools print, shaped to fit WifiBody exactly.
//
// Every parser returns
//   null                          — the machine has no wireless adapter (nothing to report);
//   { connected: false }          — an adapter, not associated with an access point;
//   { connected: true, ...link }  — associated, with whatever the tool told us.
// Text that is none of those (wrong command, truncated, an error message we do not know) throws an
// Error: a collector bug or a broken wlan service should be loud, not look like "no Wi-Fi".
//
// Values the tool printed but WifiBody would reject (a 40-character SSID, a channel outside
// 1..233, a malformed BSSID) are left out rather than clamped, so one odd field never costs us the
// whole reading.
import type { WifiEvent } from '@wardwatch/schema';

export type WifiReading = WifiEvent['body'];

// ---- shared conversions ----

/**
 * Windows reports signal quality as a percentage mapped linearly from dBm: 0% = -100 dBm and
 * 100% = -50 dBm (WLAN_SIGNAL_QUALITY), so dBm = pct / 2 - 100.
 */
export function dbmFromPercent(pct: number): number {
  return pct / 2 - 100;
}

/**
 * The inverse of dbmFromPercent, clamped to 0..100: an estimate that makes Linux readings
 * comparable with Windows ones on the same scale.
 */
export function percentFromDbm(dbm: number): number {
  return Math.max(0, Math.min(100, Math.round(2 * (dbm + 100))));
}

/** IEEE 802.11 channel numbering for 2.4, 4.9/5 and 6 GHz; undefined for anything else (60 GHz). */
export function channelFromFrequency(mhz: number): number | undefined {
  const f = Math.round(mhz);
  let channel: number | undefined;
  if (f === 2484) channel = 14; // Japan's odd one out
  else if (f >= 2412 && f <= 2472) channel = (f - 2407) / 5;
  else if (f === 5935) channel = 2; // 6 GHz channel 2 sits below the band's 5950 base
  else if (f >= 5955 && f <= 7115) channel = (f - 5950) / 5;
  else if (f >= 5160 && f <= 5900) channel = (f - 5000) / 5;
  else if (f >= 4910 && f <= 4980) channel = (f - 4000) / 5;
  return channel !== undefined && Number.isInteger(channel) && channel >= 1 && channel <= 233 ? channel : undefined;
}

const BSSID = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Build a connected reading, keeping only values WifiBody accepts. */
function connectedReading(v: { ssid?: string; bssid?: string; signalDbm?: number; signalPct?: number; linkMbps?: number; channel?: number }): WifiReading {
  const r: WifiReading = { connected: true };
  if (v.ssid !== undefined && v.ssid !== '' && v.ssid.length <= 32) r.ssid = v.ssid;
  const bssid = v.bssid?.toLowerCase().replace(/-/g, ':');
  if (bssid !== undefined && BSSID.test(bssid)) r.bssid = bssid;
  if (v.signalDbm !== undefined && Number.isFinite(v.signalDbm) && v.signalDbm >= -120 && v.signalDbm <= 0) r.signalDbm = v.signalDbm;
  if (v.signalPct !== undefined && Number.isFinite(v.signalPct) && v.signalPct >= 0 && v.signalPct <= 100) r.signalPct = v.signalPct;
  if (v.linkMbps !== undefined && Number.isFinite(v.linkMbps) && v.linkMbps >= 0 && v.linkMbps <= 100_000) r.linkMbps = v.linkMbps;
  if (v.channel !== undefined && Number.isInteger(v.channel) && v.channel >= 1 && v.channel <= 233) r.channel = v.channel;
  return r;
}

const toNumber = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number.parseFloat(s);
  return Number.isFinite(n) ? n : undefined;
};

// ---- Windows: netsh wlan show interfaces ----

/**
 * Split netsh output into one key → value map per interface. Keys are padded with spaces before
 * the colon; values can contain colons themselves (BSSIDs), so only the first " : " separates.
 */
function netshInterfaces(text: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s+(\S[^:]*?)\s+:\s?(.*)$/.exec(raw);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'name') blocks.push(new Map());
    blocks[blocks.length - 1]?.set(key, value);
  }
  return blocks;
}

/**
 * `netsh wlan show interfaces` (English output). With several adapters, the first connected one
 * is reported, else the first. "Receive rate (Mbps)" is reported as the link speed (what the
 * access point is sending to this machine at); the signal percentage is kept and converted to an
 * estimated dBm.
 */
export function parseNetshWlan(text: string): WifiReading | null {
  if (/There is no wireless interface on the system/i.test(text)) return null;
  if (/wlansvc\)? is not running/i.test(text)) {
    throw new Error('parseNetshWlan: the WLAN AutoConfig service (wlansvc) is not running, so netsh cannot tell whether there is Wi-Fi');
  }
  const blocks = netshInterfaces(text).filter((b) => b.has('state'));
  if (blocks.length === 0) {
    // An interface's fields, but none of the English labels: netsh speaks the system's display
    // language ("Status : Verbunden", "État : connecté"), and only the English output is read here.
    const fields = /^\s+\S[^:]*?\s+:\s?.*$/m.test(text) ? text.split(/\r?\n/).filter((l) => /^\s+\S[^:]*?\s+:\s?/.test(l)).length : 0;
    if (fields >= 3) {
      throw new Error(
        'parseNetshWlan: netsh wlan show interfaces printed its fields in another language than English (no "State" line); ' +
          'the agent reads the English labels (State, SSID, AP BSSID, Signal, Receive rate (Mbps), Channel), so Wi-Fi is not measured on this machine (docs/agent-install.md)',
      );
    }
    throw new Error('parseNetshWlan: no interface with a State line; is this `netsh wlan show interfaces` output?');
  }
  const block = blocks.find((b) => b.get('state')!.toLowerCase() === 'connected') ?? blocks[0]!;
  // "associating", "authenticating", "disconnecting" are not (yet) a usable link.
  if (block.get('state')!.toLowerCase() !== 'connected') return { connected: false };

  const pct = toNumber(block.get('signal')?.replace('%', ''));
  return connectedReading({
    ssid: block.get('ssid'),
    // Windows 11 says "AP BSSID", Windows 10 "BSSID".
    bssid: block.get('ap bssid') ?? block.get('bssid'),
    signalPct: pct,
    signalDbm: pct !== undefined ? dbmFromPercent(pct) : undefined,
    linkMbps: toNumber(block.get('receive rate (mbps)')),
    channel: toNumber(block.get('channel')),
  });
}

// ---- Linux: iw dev <if> link ----

/**
 * `iw dev wlan0 link`. "Not connected." is an adapter without a link; "No such device" (which
 * iw prints when the interface does not exist, if the caller captured stderr too) is no adapter.
 * The channel is derived from "freq:" (newer iw prints "5180.0"). The link speed is the transmit
 * bitrate, the rate this machine's own traffic goes out at.
 */
export function parseIwLink(text: string): WifiReading | null {
  if (/No such device/i.test(text)) return null;
  if (/^\s*Not connected\.?\s*$/m.test(text)) return { connected: false };
  const head = /^Connected to ([0-9a-fA-F:]{17})/m.exec(text);
  if (!head) throw new Error('parseIwLink: neither "Connected to" nor "Not connected."; is this `iw dev <if> link` output?');
  const field = (re: RegExp) => re.exec(text)?.[1];
  const freq = toNumber(field(/^\s*freq:\s*([\d.]+)/m));
  const dbm = toNumber(field(/^\s*signal:\s*(-?\d+(?:\.\d+)?) dBm/m));
  return connectedReading({
    bssid: head[1],
    ssid: field(/^\s*SSID: (.*)$/m),
    channel: freq !== undefined ? channelFromFrequency(freq) : undefined,
    signalDbm: dbm,
    signalPct: dbm !== undefined ? percentFromDbm(dbm) : undefined,
    linkMbps: toNumber(field(/^\s*tx bitrate:\s*([\d.]+) MBit\/s/m)),
  });
}

// ---- Linux: /proc/net/wireless ----

/**
 * /proc/net/wireless: two header lines, then one row per wireless interface:
 *   wlp0s20f3: 0000   49.  -61.  -256   0 0 0 0 117   0
 * columns: status, link quality, signal level (dBm), noise, discarded packets, missed beacons.
 * No rows means no wireless interface. It has no SSID, BSSID, rate or channel; use iw for those.
 *
 * Link quality on mac80211 drivers is the signal clamped to -110..-40 dBm plus 110, i.e. out of
 * 70; we report it as a percentage of 70. A row with zero quality or no level (0, or -256 as
 * printed for "no value") is an adapter without a link.
 */
export function parseProcNetWireless(text: string): WifiReading | null {
  const lines = text.split(/\r?\n/);
  if (!/^\s*Inter-\|/.test(lines[0] ?? '')) {
    throw new Error('parseProcNetWireless: missing the "Inter-|" header; is this /proc/net/wireless?');
  }
  const rows = lines
    .slice(2)
    .map((line) => /^\s*([^:\s]+):\s+[0-9a-fA-F]+\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ link: Number.parseFloat(m[2]!), level: Number.parseFloat(m[3]!) }))
    .map((r) => ({ ...r, up: r.link > 0 && r.level < 0 && r.level > -256 }));
  if (rows.length === 0) return null;
  const row = rows.find((r) => r.up) ?? rows[0]!;
  if (!row.up) return { connected: false };
  return connectedReading({
    signalDbm: row.level,
    signalPct: Math.min(100, Math.round((row.link / 70) * 100)),
  });
}
