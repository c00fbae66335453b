import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LogonBody } from '@wardwatch/schema';
import { parseWindowsLogons, type WindowsLogon } from './logon-windows.ts';
import { toLogonBody } from './logon-common.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/windows/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);

// Expected values are worked out by hand from the fixture timestamps (see fixtures/README.md).
const cases: Array<[string, string, Array<Partial<WindowsLogon>>]> = [
  [
    'a normal console logon, PowerShell 7 ISO times; service, network, unlock and DWM/UMFD logons ignored',
    'logon-normal.json',
    [
      {
        startedAt: at('2024-11-25T07:58:10.234Z'), account: 'NHS\\jsmith01', logonId: '0x5a3c1f2', logonType: 2, ok: true, readyBy: 'shell-core-62171',
        // 4624 10.234 → UPS1 11.700 → UPS2 16.050; GP 16.210 → 23.380; userinit 23.520 → explorer 25.310 → 62171 28.960
        phases: { winlogonMs: 1466, profileMs: 4350, groupPolicyMs: 7170, preShellMs: 1790, shellMs: 3650 },
        totalMs: 18726,
      },
    ],
  ],
  [
    'two overlapping logons (console + RDP admin with a UAC linked token), PowerShell 5.1 /Date()/ times',
    'logon-overlapping.json',
    [
      {
        startedAt: at('2024-11-25T09:30:00.512Z'), account: 'NHS\\jsmith01', logonId: '0x7b2e10', logonType: 2, ok: true,
        // UPS session 4: 01.731 → 09.840; GP 09.950 → 21.400; userinit 21.550 → explorer 23.370 → second 62171 27.910
        phases: { winlogonMs: 1219, profileMs: 8109, groupPolicyMs: 11450, preShellMs: 1820, shellMs: 4540 },
        totalMs: 27398,
      },
      {
        // the two linked 4624s (0x7b3a51 elevated, 0x7b3a80 filtered) are one logon; the filtered one runs the shell
        startedAt: at('2024-11-25T09:30:02.047Z'), account: 'NHS\\adm-kpatel', logonId: '0x7b3a80', logonType: 10, ok: true,
        // UPS session 5: 03.112 → 04.907; GP 05.020 → 07.610; userinit 07.750 → explorer 09.120 → first 62171 12.860
        phases: { winlogonMs: 1065, profileMs: 1795, groupPolicyMs: 2590, preShellMs: 1370, shellMs: 3740 },
        totalMs: 10813,
      },
    ],
  ],
  [
    'interrupted logons (BST +01:00 times): Group Policy hangs; userinit without explorer then sign-out; then a good one',
    'logon-interrupted.json',
    [
      {
        startedAt: at('2024-06-12T07:00:03.123Z'), account: 'NHS\\jsmith01', logonId: '0x3e1a2f', logonType: 11,
        ok: false, reason: 'no shell start within 10 min', stalledIn: 'groupPolicy', totalMs: 600_000,
        phases: { winlogonMs: 1279, profileMs: 5215 }, // 4001 at 09.803 never got its 8001
      },
      {
        startedAt: at('2024-06-12T07:13:40.220Z'), account: 'NHS\\mbrown07', logonId: '0x3f0c11', logonType: 2,
        ok: false, reason: 'logged off before shell start', stalledIn: 'preShell',
        totalMs: 171_550, // 4647 at 16:31.770
        phases: { winlogonMs: 1280, profileMs: 5600, groupPolicyMs: 5600 },
      },
      {
        startedAt: at('2024-06-12T07:17:05.310Z'), account: 'NHS\\mbrown07', logonId: '0x3f5d02', logonType: 2, ok: true,
        phases: { winlogonMs: 700, profileMs: 1890, groupPolicyMs: 2550, preShellMs: 1490, shellMs: 3240 },
        totalMs: 10_130,
      },
    ],
  ],
];

describe('parseWindowsLogons on recorded fixtures', () => {
  it.each(cases)('%s', (_name, file, expected) => {
    const logons = parseWindowsLogons(fixture(file));
    expect(logons).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(logons[i]).toMatchObject(want));
    // phases must match exactly: nothing extra, nothing guessed
    expected.forEach((want, i) => expect(logons[i]!.phases).toEqual(want.phases));
  });

  it.each(cases)('every result of "%s" fits LogonBody once the account is dropped', (_name, file) => {
    for (const logon of parseWindowsLogons(fixture(file))) {
      const body = toLogonBody(logon, 'a1b2c3d4e5f60718');
      expect(body).not.toHaveProperty('account');
      expect(LogonBody.safeParse(body).success).toBe(true);
      // the raw account is exactly what the contract refuses
      expect(LogonBody.safeParse({ ...body, account: logon.account }).success).toBe(false);
    }
  });
});

describe('parseWindowsLogons: shapes and edge cases', () => {
  const single = fixture('logon-single-object-ps51.json');
  const singleStart = at('2024-11-25T12:04:51.377Z');

  it('reads the lone object ConvertTo-Json prints for a single event, and leaves a young logon out as in progress', () => {
    expect(parseWindowsLogons(single)).toEqual([]);
    expect(parseWindowsLogons(single, { now: singleStart + 9 * 60_000 })).toEqual([]);
  });

  it('calls a logon interrupted once `now` is 10 minutes past it with no shell', () => {
    const [logon] = parseWindowsLogons(single, { now: singleStart + 10 * 60_000 });
    expect(logon).toMatchObject({ startedAt: singleStart, ok: false, reason: 'no shell start within 10 min', stalledIn: 'winlogon', totalMs: 600_000, logonId: '0x1c2d3e' });
    expect(logon!.phases).toEqual({});
  });

  it('honours a custom timeout in the reason', () => {
    const [logon] = parseWindowsLogons(single, { now: singleStart + 90_000, shellTimeoutMs: 90_000 });
    expect(logon).toMatchObject({ ok: false, reason: 'no shell start within 90 s', totalMs: 90_000 });
  });

  it('accepts Properties serialised as {"value": [...], "Count": n} by Windows PowerShell 5.1', () => {
    const record = JSON.parse(single) as { Properties: unknown[] };
    const wrapped = JSON.stringify({ ...record, Properties: { value: record.Properties, Count: record.Properties.length } });
    expect(parseWindowsLogons(wrapped, { now: singleStart + 600_000 })).toHaveLength(1);
  });

  it('falls back to the Winlogon "Profiles" subscriber (811/812) when the User Profile Service log is missing', () => {
    const records = JSON.parse(fixture('logon-normal.json')) as Array<{ LogName: string }>;
    const withoutUps = records.filter((r) => !r.LogName.includes('User Profile Service'));
    const [logon] = parseWindowsLogons(JSON.stringify(withoutUps));
    // 811 Profiles 11.690, 812 Profiles 16.061
    expect(logon!.phases).toMatchObject({ winlogonMs: 1456, profileMs: 4371, groupPolicyMs: 7170 });
  });

  it('falls back to the explorer.exe start, and says so, when there is no Shell-Core 62171', () => {
    const records = JSON.parse(fixture('logon-normal.json')) as Array<{ Id: number }>;
    const [logon] = parseWindowsLogons(JSON.stringify(records.filter((r) => r.Id !== 62171)));
    expect(logon).toMatchObject({ ok: true, readyBy: 'explorer-start', totalMs: 15_076 }); // 25.310 − 10.234
    expect(logon!.phases.shellMs).toBeUndefined();
  });

  it('uses the record UserId, when selected, to give each desktop-ready marker to the right user', () => {
    const SID = (rid: number) => ({ BinaryLength: 28, AccountDomainSid: null, Value: `S-1-5-21-1111111111-2222222222-3333333333-${rid}` });
    const records = JSON.parse(fixture('logon-overlapping.json')) as Array<{ Id: number; TimeCreated: string; UserId?: unknown }>;
    // A slow admin desktop: its 62171 moves from 09:30:12.860 to 09:30:29.000, after jsmith01's (27.910).
    const readies = records.filter((r) => r.Id === 62171).sort((a, b) => a.TimeCreated.localeCompare(b.TimeCreated));
    readies[0]!.TimeCreated = `/Date(${at('2024-11-25T09:30:29.000Z')})/`;
    // Without SIDs the order rule hands the admin (explorer first) the earlier marker: the documented limit.
    const [j1, a1] = parseWindowsLogons(JSON.stringify(records));
    expect([j1!.totalMs, a1!.totalMs]).toEqual([28_488, 25_863]); // 29.000 − 00.512, 27.910 − 02.047
    // With the records' UserId, each logon gets its own.
    readies[0]!.UserId = SID(50117);
    readies[1]!.UserId = SID(41021);
    const [jsmith, admin] = parseWindowsLogons(JSON.stringify(records));
    expect(jsmith).toMatchObject({ account: 'NHS\\jsmith01', totalMs: 27_398, phases: { shellMs: 4540 } });
    expect(admin).toMatchObject({ account: 'NHS\\adm-kpatel', totalMs: 26_953, phases: { shellMs: 19_880 } }); // 29.000 − 02.047, − 09.120
  });

  it.each([
    ['empty output (no events)', '', []],
    ['whitespace and a BOM', '\uFEFF\r\n', []],
  ])('returns [] for %s', (_name, input, expected) => {
    expect(parseWindowsLogons(input)).toEqual(expected);
  });

  it.each([
    ['garbage text', 'Get-WinEvent : No events were found that match the specified selection criteria.', /not JSON/],
    ['JSON that is not records', '[1, 2]', /record 0 is not an object/],
    ['a record without Id', '{"TimeCreated": "/Date(1732521490234)/"}', /no numeric Id/],
    ['an unreadable TimeCreated', '{"Id": 4624, "LogName": "Security", "TimeCreated": "25/11/2024 07:58:10"}', /unreadable TimeCreated/],
    ['a local time without an offset', '{"Id": 4624, "LogName": "Security", "TimeCreated": "2024-11-25T07:58:10.234"}', /unreadable TimeCreated/],
  ])('throws a clear Error for %s', (_name, input, message) => {
    expect(() => parseWindowsLogons(input)).toThrow(message);
  });
});
