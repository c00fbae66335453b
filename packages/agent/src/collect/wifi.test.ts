import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { WifiBody } from '@wardwatch/schema';
import { channelFromFrequency, parseIwLink, parseNetshWlan, parseProcNetWireless, type WifiReading } from './wifi.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/wifi/${name}`, import.meta.url), 'utf8');

const cases: Array<[string, (text: string) => WifiReading | null, string, WifiReading | null]> = [
  // Signal 78% → 78 / 2 − 100 = −61 dBm; Receive rate 573.5 Mbps; "AP BSSID" (Windows 11 label)
  ['netsh, connected', parseNetshWlan, 'netsh-connected.txt', { connected: true, ssid: 'NHS-Staff', bssid: '3c:a8:2a:10:00:9a', signalPct: 78, signalDbm: -61, linkMbps: 573.5, channel: 36 }],
  ['netsh, disconnected', parseNetshWlan, 'netsh-disconnected.txt', { connected: false }],
  ['netsh, no adapter', parseNetshWlan, 'netsh-no-adapter.txt', null],
  // freq 5180.0 → channel 36; −61 dBm → 2 × (−61 + 100) = 78%; tx bitrate 866.7
  ['iw, connected', parseIwLink, 'iw-connected.txt', { connected: true, ssid: 'NHS-Staff', bssid: '3c:a8:2a:10:00:9a', signalDbm: -61, signalPct: 78, linkMbps: 866.7, channel: 36 }],
  ['iw, not connected', parseIwLink, 'iw-not-connected.txt', { connected: false }],
  // link 49 of 70 → 70%; level −61 dBm
  ['/proc/net/wireless, associated', parseProcNetWireless, 'proc-net-wireless.txt', { connected: true, signalDbm: -61, signalPct: 70 }],
  ['/proc/net/wireless, no wireless interface', parseProcNetWireless, 'proc-net-wireless-empty.txt', null],
];

describe('Wi-Fi parsers on recorded fixtures', () => {
  it.each(cases)('%s', (_name, parse, file, expected) => {
    const reading = parse(fixture(file));
    expect(reading).toEqual(expected);
    if (reading !== null) expect(WifiBody.safeParse(reading).success).toBe(true);
  });
});

describe('Wi-Fi parsers: variants and bad input', () => {
  it('reads the Windows 10 "BSSID" label and normalises an upper-case BSSID', () => {
    const text = fixture('netsh-connected.txt').replace('AP BSSID               : 3c:a8:2a:10:00:9a', 'BSSID                  : 3C:A8:2A:10:00:9A');
    expect(parseNetshWlan(text)).toMatchObject({ bssid: '3c:a8:2a:10:00:9a' });
  });

  it('picks the connected adapter when netsh lists two', () => {
    const second = fixture('netsh-connected.txt').split('There is 1 interface on the system: ')[1]!.replace(/Name(\s+): Wi-Fi/, 'Name$1: Wi-Fi 2');
    const text = fixture('netsh-disconnected.txt').replace('There is 1 interface', 'There are 2 interfaces') + second;
    expect(parseNetshWlan(text)).toMatchObject({ connected: true, ssid: 'NHS-Staff' });
  });

  it('treats "authenticating" as not (yet) connected', () => {
    expect(parseNetshWlan(fixture('netsh-connected.txt').replace(': connected', ': authenticating'))).toEqual({ connected: false });
  });

  it('drops a field WifiBody would reject instead of failing the reading', () => {
    const text = fixture('iw-connected.txt').replace('SSID: NHS-Staff', `SSID: ${'x'.repeat(40)}`);
    const reading = parseIwLink(text);
    expect(reading).not.toHaveProperty('ssid');
    expect(WifiBody.safeParse(reading).success).toBe(true);
  });

  it('reports an adapter without a link from /proc/net/wireless', () => {
    const text = fixture('proc-net-wireless-empty.txt') + 'wlp0s20f3: 0000    0.  -256.  -256        0      0      0      0      0        0\n';
    expect(parseProcNetWireless(text)).toEqual({ connected: false });
  });

  it('treats "No such device" from iw as no adapter', () => {
    expect(parseIwLink('command failed: No such device (-19)\n')).toBeNull();
  });

  it.each([
    ['netsh garbage', () => parseNetshWlan('hello world'), /no interface with a State line/],
    // The English fixture's layout with its labels put into German by hand (not a capture): the
    // agent reads English labels only, and says so rather than "is this netsh output?".
    [
      'netsh in another language',
      () => parseNetshWlan('\r\nEs ist 1 Schnittstelle auf dem System vorhanden:\r\n\r\n    Name                   : WLAN\r\n    Beschreibung           : Intel(R) Wi-Fi 6 AX201 160MHz\r\n    Status                 : Verbunden\r\n    SSID                   : NHS-Clinical\r\n    Kanal                  : 36\r\n    Empfangsrate (MBit/s)  : 573,5\r\n    Signal                 : 78 %\r\n'),
      /printed its fields in another language than English .*Wi-Fi is not measured on this machine/,
    ],
    ['netsh with wlansvc stopped', () => parseNetshWlan('The Wireless AutoConfig Service (wlansvc) is not running.'), /wlansvc/],
    ['iw garbage', () => parseIwLink('hello world'), /neither "Connected to" nor "Not connected."/],
    ['/proc/net/wireless garbage', () => parseProcNetWireless('hello world'), /missing the "Inter-\|" header/],
  ])('throws a clear Error for %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  it.each([
    [2412, 1], [2437, 6], [2472, 13], [2484, 14], [5180, 36], [5500, 100], [5825, 165], [5955, 1], [6115, 33], [7115, 233], [4920, 184], [58_320, undefined], [2400, undefined],
  ])('channelFromFrequency(%d) = %s', (mhz, channel) => {
    expect(channelFromFrequency(mhz)).toBe(channel);
  });
});
