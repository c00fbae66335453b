import { describe, expect, it } from 'vitest';
import { appP95, dateMedium, dateTime, dateTimeMedium, figuresToText, logonP95, wifiCell } from './format.ts';

describe('a p95 of few values says how many', () => {
  const p95 = { logonP95, appP95 };
  it.each<[keyof typeof p95, number | null, number, string, number?]>([
    ['logonP95', null, 0, '–'],
    ['logonP95', 33_000, 2, '33.0 s (2 logons)'],
    ['logonP95', 33_000, 1, '33.0 s (1 logon)'],
    ['logonP95', 33_000, 9, '33.0 s (9 logons)'],
    ['logonP95', 33_000, 10, '33.0 s'],
    ['logonP95', 850, 40, '850 ms'],
    ['appP95', null, 0, '–'],
    ['appP95', 4_800, 3, '4.8 s (3 checks)'],
    ['appP95', 4_800, 1, '4.8 s (1 check)'],
    ['appP95', 740, 9, '740 ms (9 checks)'],
    ['appP95', 740, 10, '740 ms'],
    ['appP95', 4_800, 1_200, '4.8 s'],
    // Ten to nineteen values: the p95 is the slowest one, and one slow value decides no status.
    ['appP95', 4_800, 15, '4.8 s (1 slow of 15 checks)', 1],
    ['appP95', 4_800, 15, '4.8 s', 2],
    ['appP95', 4_800, 20, '4.8 s', 1],
    ['appP95', 4_800, 5, '4.8 s (5 checks)', 1],
    ['logonP95', 35_000, 12, '35.0 s (1 slow of 12 logons)', 1],
    ['logonP95', 35_000, 12, '35.0 s'],
  ])('%s: %s ms over %s → %s', (fn, ms, n, text, slow) => {
    expect(p95[fn](ms, n, slow)).toBe(text);
  });
});

describe('dates and times in UK time, whatever the runtime\'s zone', () => {
  // Instants either side of the clocks going back (25 October 2026, 02:00 BST → 01:00 GMT), and a
  // summer night that UTC dates the 30th at 23:30 and the UK the 1st at 00:30.
  it.each<[string, string, string, string]>([
    ['2026-07-01T12:00:00Z', '01/07/2026, 13:00', '1 Jul 2026, 13:00', '1 Jul 2026'],
    ['2026-06-30T23:30:00Z', '01/07/2026, 00:30', '1 Jul 2026, 00:30', '1 Jul 2026'],
    ['2026-10-25T00:30:00Z', '25/10/2026, 01:30', '25 Oct 2026, 01:30', '25 Oct 2026'],
    ['2026-10-25T01:30:00Z', '25/10/2026, 01:30', '25 Oct 2026, 01:30', '25 Oct 2026'],
    ['2026-12-01T12:00:00Z', '01/12/2026, 12:00', '1 Dec 2026, 12:00', '1 Dec 2026'],
  ])('%s → %s', (iso, short, medium, date) => {
    const at = Date.parse(iso);
    expect(dateTime(at)).toBe(short);
    expect(dateTimeMedium(at)).toBe(medium);
    expect(dateMedium(at)).toBe(date);
  });
});

describe('figuresToText: a table\'s rows beside the page\'s figures', () => {
  // 2026-12-03 08:10:00 UTC is 08:10:00 in London (GMT in December).
  const T = Date.UTC(2026, 11, 3, 8, 10);
  it.each([
    ['rows at the window\'s end, the site 49 s on', [T, T, T], T + 49_000, 'Figures to 08:10:00 (those above: to 08:10:49)'],
    ['a row published later (its status changed)', [T, T + 31_400, T], T + 49_000, 'Figures to 08:10:00–08:10:31 (those above: to 08:10:49)'],
    ['every row of the page\'s second', [T + 49_000, T + 49_900], T + 49_500, ''],
    ['rows of one second, the page\'s another', [T + 48_900, T + 48_100], T + 49_000, 'Figures to 08:10:48 (those above: to 08:10:49)'],
    ['no rows', [], T, ''],
    ['no page time yet', [T], 0, ''],
    ['in summer, UK time', [Date.UTC(2026, 6, 1, 12)], Date.UTC(2026, 6, 1, 12, 0, 5), 'Figures to 13:00:00 (those above: to 13:00:05)'],
  ])('%s', (_name, rows, page, text) => {
    expect(figuresToText(rows, page)).toBe(text);
  });
});

describe('wifiCell: a device without Wi-Fi says so', () => {
  const NO_WIFI = { text: 'no Wi-Fi', title: 'No Wi-Fi reading from this device: a wired workstation, or no wireless reading lately' };
  it.each([
    ['a device with a signal', { scope: 'device', ap: 'aa:bb:cc:dd:ee:01', figures: { wifiSignalDbm: -61.4 } }, { text: '−61 dBm' }],
    ['a device with no signal and no access point', { scope: 'device', figures: { wifiSignalDbm: null } }, NO_WIFI],
    ['a device on an access point, no signal this horizon', { scope: 'device', ap: 'aa:bb:cc:dd:ee:01', figures: { wifiSignalDbm: null } }, { text: '–' }],
    ['an access point with no signal', { scope: 'ap', figures: { wifiSignalDbm: null } }, { text: '–' }],
    ['a ward with a signal', { scope: 'ward', figures: { wifiSignalDbm: -70 } }, { text: '−70 dBm' }],
  ])('%s', (_, row, expected) => {
    expect(wifiCell(row)).toEqual(expected);
  });
});
