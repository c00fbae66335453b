import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { contradiction, LogonBody, type TelemetryEvent } from '@wardwatch/schema';
import { parseWindowsLogons, type ParseWindowsLogonOptions, type WindowsLogon } from './logon-windows.ts';
import { toLogonBody } from './logon-common.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/windows/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);

interface Rec {
  Id: number;
  LogName: string;
  TimeCreated: string;
  UserId: string | null;
  Version: number;
  Data: Record<string, string>;
}
const records = (name: string) => JSON.parse(fixture(name)) as Rec[];
const msOf = (r: Rec) => (r.TimeCreated.startsWith('/Date(') ? Number(/\d+/.exec(r.TimeCreated)![0]) : at(r.TimeCreated));

// Expected values are worked out by hand from the fixture timestamps (see fixtures/README.md).
// `now` is when the capture was taken, where the newest event is a logon's own last event.
const cases: Array<[string, string, ParseWindowsLogonOptions, Array<Partial<WindowsLogon>>]> = [
  [
    'a normal console logon, PowerShell 7 ISO times; service, network, unlock and DWM/UMFD logons ignored',
    'logon-normal.json',
    {},
    [
      {
        startedAt: at('2024-11-25T07:58:10.234Z'), account: 'NHS\\jsmith01', logonId: '0x5a3c1f2', logonType: 2, ok: true, readyBy: 'shell-core-logon-tasks',
        // 4624 10.234 → UPS1 11.700 → UPS2 16.050; GP 16.210 → 23.380; userinit 23.520 → explorer 25.310;
        // ActiveSetup 25.510 → 28.960 (the only logon task, so the desktop is ready at its stop)
        phases: { winlogonMs: 1466, profileMs: 4350, groupPolicyMs: 7170, preShellMs: 1790, shellMs: 3650, logonTasksMs: 3450 },
        totalMs: 18726,
      },
    ],
  ],
  [
    'two overlapping logons (console + RDP admin with a UAC linked token), PowerShell 5.1 /Date()/ times',
    'logon-overlapping.json',
    { now: at('2024-11-25T09:35:00Z') },
    [
      {
        startedAt: at('2024-11-25T09:30:00.512Z'), account: 'NHS\\jsmith01', logonId: '0x7b2e10', logonType: 2, ok: true,
        // UPS session 4: 01.731 → 09.840; GP 09.950 → 21.400; userinit 21.550 → explorer 23.370; task 23.500 → 27.910
        phases: { winlogonMs: 1219, profileMs: 8109, groupPolicyMs: 11450, preShellMs: 1820, shellMs: 4540, logonTasksMs: 4410 },
        totalMs: 27398,
      },
      {
        // the two linked 4624s (0x7b3a51 elevated, 0x7b3a80 filtered) are one logon; the filtered one runs the shell
        startedAt: at('2024-11-25T09:30:02.047Z'), account: 'NHS\\adm-kpatel', logonId: '0x7b3a80', logonType: 10, ok: true,
        // UPS session 5: 03.112 → 04.907; GP 05.020 → 07.610; userinit 07.750 → explorer 09.120; task 09.300 → 12.860
        phases: { winlogonMs: 1065, profileMs: 1795, groupPolicyMs: 2590, preShellMs: 1370, shellMs: 3740, logonTasksMs: 3560 },
        totalMs: 10813,
      },
    ],
  ],
  [
    'interrupted logons (BST +01:00 times): Group Policy hangs; userinit without explorer then sign-out; then a good one',
    'logon-interrupted.json',
    { now: at('2024-06-12T07:30:00Z') },
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
        phases: { winlogonMs: 700, profileMs: 1890, groupPolicyMs: 2550, preShellMs: 1490, shellMs: 3240, logonTasksMs: 3090 },
        totalMs: 10_130,
      },
    ],
  ],
  [
    'Windows 11: a UAC administrator at the console (Security 4624 version 3), three logon tasks',
    'logon-win11-uac-v3.json',
    {},
    [
      {
        startedAt: at('2024-11-26T08:12:00.105Z'), account: 'NHS\\adm-rkhan', logonId: '0x9a4b5e', logonType: 2, ok: true, readyBy: 'shell-core-logon-tasks',
        // 4624 00.105 → UPS1 01.030 → UPS2 04.860; GP 05.000 → 09.250; userinit 09.400 → explorer 10.950;
        // tasks 11.100 → 11.280, 11.300 → 14.050, 14.060 → 17.720: ready at the last stop
        phases: { winlogonMs: 925, profileMs: 3830, groupPolicyMs: 4250, preShellMs: 1550, shellMs: 6770, logonTasksMs: 6620 },
        totalMs: 17_615,
      },
    ],
  ],
  [
    'Windows 10 VDI over RDP with an FSLogix profile container, GroupPolicy version 0, Windows PowerShell 5.1',
    'logon-vdi-fslogix.json',
    {},
    [
      {
        startedAt: at('2024-11-26T08:30:00.200Z'), account: 'NHS\\jsmith01', logonId: '0x5f2e81', logonType: 10, ok: true, readyBy: 'shell-core-logon-tasks',
        // frxsvc 00.100 → 14.300 (logon) and 21.650 → 23.650 (shell start): 16 200 ms of subscriber time;
        // UPS1 14.320 → UPS2 16.100; GP 16.130 → 21.480; logon script 21.520 → 25.620;
        // userinit 21.600 → explorer 23.900; task 24.000 → 26.300
        phases: { winlogonMs: 14_320, subscribersMs: 16_200, profileMs: 1780, groupPolicyMs: 5350, gpScriptsMs: 4100, preShellMs: 2300, shellMs: 2400, logonTasksMs: 2300 },
        totalMs: 26_300,
        subscribers: [{ name: 'frxsvc', ms: 16_200 }],
      },
    ],
  ],
];

describe('parseWindowsLogons on recorded fixtures', () => {
  it.each(cases)('%s', (_name, file, options, expected) => {
    const logons = parseWindowsLogons(fixture(file), options);
    expect(logons).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(logons[i]).toMatchObject(want));
    // phases must match exactly: nothing extra, nothing guessed
    expected.forEach((want, i) => expect(logons[i]!.phases).toEqual(want.phases));
  });

  it.each(cases)('every result of "%s" fits LogonBody once the account is dropped', (_name, file, options) => {
    for (const logon of parseWindowsLogons(fixture(file), options)) {
      const body = toLogonBody(logon, 'a1b2c3d4e5f60718');
      expect(body).not.toHaveProperty('account');
      expect(LogonBody.safeParse(body).success).toBe(true);
      // and its phases fit its total as the contract's cross-field rules want (contradiction.ts)
      expect(contradiction({ v: 1, id: 'e1', seq: 1, ts: logon.startedAt, trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1', kind: 'logon', body } as TelemetryEvent)).toBeUndefined();
      // what marked the desktop ready travels with the total
      expect(body.readyBy).toBe(logon.readyBy);
      // the raw account is exactly what the contract refuses
      expect(LogonBody.safeParse({ ...body, account: logon.account }).success).toBe(false);
    }
  });
});

describe('parseWindowsLogons: the three failures on real events (issue 14)', () => {
  it('reads a UAC split-token logon with Security 4624 version 3 as one successful logon', () => {
    const list = records('logon-win11-uac-v3.json');
    const pair = list.filter((r) => r.Id === 4624 && r.Data.TargetUserName === 'adm-rkhan');
    // the fixture is what it claims: version 3, RemoteCredentialGuard before the fields that moved
    expect(pair.map((r) => r.Version)).toEqual([3, 3]);
    expect(Object.keys(pair[0]!.Data).indexOf('RemoteCredentialGuard')).toBe(22);
    const logons = parseWindowsLogons(JSON.stringify(list));
    expect(logons).toHaveLength(1);
    expect(logons[0]).toMatchObject({ ok: true, logonId: '0x9a4b5e', totalMs: 17_615 });
  });

  it('takes desktop ready from the last of three logon tasks, not the first to finish', () => {
    const [logon] = parseWindowsLogons(fixture('logon-win11-uac-v3.json'));
    // the first task (ActiveSetup) stopped 330 ms after explorer started; the desktop took 6.77 s
    expect(logon!.phases.shellMs).toBe(6770);
    expect(logon!.logonTasks).toEqual([
      { name: 'placeholder-task-3', ms: 3660 },
      { name: 'placeholder-task-2', ms: 2750 },
      { name: 'ActiveSetup', ms: 180 },
    ]);
  });

  it.each([
    ['logon-win11-uac-v3.json', 4250],
    ['logon-vdi-fslogix.json', 5350],
  ])('measures Group Policy logged with UserId S-1-5-18 (%s)', (file, ms) => {
    const list = records(file);
    const gp = list.filter((r) => r.LogName === 'Microsoft-Windows-GroupPolicy/Operational');
    expect(new Set(gp.map((r) => r.UserId))).toEqual(new Set(['S-1-5-18']));
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    expect(logon!.phases.groupPolicyMs).toBe(ms);
  });

  it('shows an FSLogix-style Winlogon subscriber as its own phase; Windows\u2019 own subscribers and AuthenticateUser 1/2 are not in it', () => {
    const list = records('logon-vdi-fslogix.json');
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    expect(logon!.phases.subscribersMs).toBe(16_200);
    expect(logon!.subscribers).toEqual([{ name: 'frxsvc', ms: 16_200 }]);
    // Without the container the phase is gone, and nothing else moves.
    const without = list.filter((r) => r.Data.SubscriberName !== 'frxsvc');
    const [plain] = parseWindowsLogons(JSON.stringify(without));
    expect(plain!.phases.subscribersMs).toBeUndefined();
    expect(plain!.subscribers).toBeUndefined();
    expect(plain!.totalMs).toBe(logon!.totalMs);
  });
});

describe('parseWindowsLogons: a subscriber that never finishes', () => {
  it('calls the logon interrupted, stalled in the subscribers, when FSLogix never finishes attaching the profile', () => {
    const t0 = at('2024-11-26T08:30:00.200Z');
    // everything up to frxsvc's 811 for the logon notification, and nothing after
    const list = records('logon-vdi-fslogix.json').filter((r) => msOf(r) <= t0 + 100);
    expect(list.at(-1)).toBeDefined();
    // (The machine audits process creation: its other logons' shells are logged.)
    expect(parseWindowsLogons(JSON.stringify(list), { now: t0 + 9 * 60_000, processCreationAudited: true })).toEqual([]);
    const [logon] = parseWindowsLogons(JSON.stringify(list), { now: t0 + 10 * 60_000, processCreationAudited: true });
    expect(logon).toMatchObject({ ok: false, reason: 'no shell start within 10 min', stalledIn: 'subscribers', totalMs: 600_000 });
    expect(logon!.phases).toEqual({});
    expect(logon!.readyBy).toBeUndefined();
  });
});

describe('parseWindowsLogons: desktop ready and the logon tasks', () => {
  const win11 = records('logon-win11-uac-v3.json');
  const lastStop = at('2024-11-26T08:12:17.720Z');
  const explorer = at('2024-11-26T08:12:10.950Z');

  it('waits a quiet minute after the last task stop before reporting (another task may still start)', () => {
    const input = JSON.stringify(win11);
    expect(parseWindowsLogons(input, { now: lastStop + 30_000 })).toEqual([]);
    expect(parseWindowsLogons(input, { now: lastStop + 60_000 })).toHaveLength(1);
    expect(parseWindowsLogons(input, { now: lastStop + 5_000, quietMs: 5_000 })).toHaveLength(1);
  });

  it('leaves out a logon task that starts long after the logon’s tasks stopped (explorer restarted later)', () => {
    const template = win11.find((r) => r.Id === 62170)!;
    const later = [62170, 62171].map((Id, i) => ({ ...template, Id, TimeCreated: `2024-11-26T08:17:0${i * 2}.0000000+00:00` }));
    const [logon] = parseWindowsLogons(JSON.stringify([...win11, ...later]), { now: at('2024-11-26T08:30:00Z') });
    expect(logon).toMatchObject({ totalMs: 17_615, phases: { shellMs: 6770, logonTasksMs: 6620 } });
  });

  it('calls a logon whose logon task never stops interrupted, stalled in logonTasks', () => {
    const hung = win11.filter((r) => !(r.Id === 62171 && r.Data.TaskName === 'placeholder-task-3'));
    expect(parseWindowsLogons(JSON.stringify(hung), { now: explorer + 9 * 60_000 })).toEqual([]);
    const [logon] = parseWindowsLogons(JSON.stringify(hung), { now: explorer + 10 * 60_000 });
    expect(logon).toMatchObject({ ok: false, reason: 'logon task "placeholder-task-3" did not finish within 10 min', stalledIn: 'logonTasks' });
    expect(logon!.totalMs).toBe(explorer + 600_000 - at('2024-11-26T08:12:00.105Z'));
    expect(logon!.phases.shellMs).toBeUndefined();
  });

  it('falls back to the explorer.exe start, and says so, when Shell-Core logs no logon tasks', () => {
    const list = records('logon-normal.json').filter((r) => r.Id !== 62170 && r.Id !== 62171);
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    expect(logon).toMatchObject({ ok: true, readyBy: 'explorer-start', totalMs: 15_076 }); // 25.310 − 10.234
    expect(logon!.phases.shellMs).toBeUndefined();
    expect(logon!.phases.logonTasksMs).toBeUndefined();
  });

  it('where the channel logs tasks, waits for a logon\u2019s tasks up to the timeout before falling back to explorer start', () => {
    const list = records('logon-overlapping.json');
    const jsmithTasks = (r: Rec) => (r.Id === 62170 || r.Id === 62171) && r.UserId?.endsWith('-41021');
    const input = JSON.stringify(list.filter((r) => !jsmithTasks(r)));
    const jsmithExplorer = at('2024-11-25T09:30:23.370Z');
    expect(parseWindowsLogons(input, { now: jsmithExplorer + 5 * 60_000 }).map((l) => l.account)).toEqual(['NHS\\adm-kpatel']);
    const later = parseWindowsLogons(input, { now: jsmithExplorer + 10 * 60_000 });
    expect(later[0]).toMatchObject({ account: 'NHS\\jsmith01', readyBy: 'explorer-start', totalMs: 22_858 }); // 23.370 − 00.512
  });

  it('gives each logon task to its user by UserId; without UserId, to the shell that started last before it (the documented limit)', () => {
    const list = records('logon-overlapping.json');
    // A slow admin desktop: its ActiveSetup starts after jsmith01's explorer (23.370) and stops at 29.000.
    const admin = list.filter((r) => (r.Id === 62170 || r.Id === 62171) && r.UserId?.endsWith('-50117'));
    admin.find((r) => r.Id === 62170)!.TimeCreated = `/Date(${at('2024-11-25T09:30:23.450Z')})/`;
    admin.find((r) => r.Id === 62171)!.TimeCreated = `/Date(${at('2024-11-25T09:30:29.000Z')})/`;
    const now = at('2024-11-25T09:45:00Z');
    const [jsmith, adm] = parseWindowsLogons(JSON.stringify(list), { now });
    expect(jsmith).toMatchObject({ account: 'NHS\\jsmith01', totalMs: 27_398, phases: { shellMs: 4540 } });
    expect(adm).toMatchObject({ account: 'NHS\\adm-kpatel', totalMs: 26_953, phases: { shellMs: 19_880, logonTasksMs: 5550 } }); // 29.000 − 02.047, − 09.120
    // Without UserId the admin's task goes to jsmith01's shell, which started last before it.
    const anonymous = list.map(({ UserId: _dropped, ...rest }) => rest);
    const [j2, a2] = parseWindowsLogons(JSON.stringify(anonymous), { now });
    expect(j2).toMatchObject({ totalMs: 28_488 }); // 29.000 − 00.512
    expect(a2).toMatchObject({ readyBy: 'explorer-start', totalMs: 7073 }); // 09.120 − 02.047
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
    const [logon] = parseWindowsLogons(single, { now: singleStart + 10 * 60_000, processCreationAudited: true });
    expect(logon).toMatchObject({ startedAt: singleStart, ok: false, reason: 'no shell start within 10 min', stalledIn: 'winlogon', totalMs: 600_000, logonId: '0x1c2d3e' });
    expect(logon!.phases).toEqual({});
  });

  it('honours a custom timeout in the reason', () => {
    const [logon] = parseWindowsLogons(single, { now: singleStart + 90_000, shellTimeoutMs: 90_000, processCreationAudited: true });
    expect(logon).toMatchObject({ ok: false, reason: 'no shell start within 90 s', totalMs: 90_000 });
  });

  it('accepts a SecurityIdentifier object as UserId and numbers as field values', () => {
    const list = records('logon-vdi-fslogix.json').map((r) => ({
      ...r,
      UserId: r.UserId === null ? null : { BinaryLength: 28, AccountDomainSid: null, Value: r.UserId },
      Data: Object.fromEntries(Object.entries(r.Data).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])),
    }));
    expect(parseWindowsLogons(JSON.stringify(list))).toEqual(parseWindowsLogons(fixture('logon-vdi-fslogix.json')));
  });

  it('falls back to the Winlogon "Profiles" subscriber (811/812) when the User Profile Service log is missing', () => {
    const list = records('logon-normal.json').filter((r) => !r.LogName.includes('User Profile Service'));
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    // 811 Profiles 11.690, 812 Profiles 16.061
    expect(logon!.phases).toMatchObject({ winlogonMs: 1456, profileMs: 4371, groupPolicyMs: 7170 });
  });

  it('ends Group Policy at 7001 when user policy processing failed', () => {
    const list = records('logon-win11-uac-v3.json').map((r) => (r.Id === 8001 ? { ...r, Id: 7001 } : r));
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    expect(logon!.phases.groupPolicyMs).toBe(4250);
  });

  it('times only the user\u2019s logon scripts (ScriptType 1), not other script types', () => {
    const list = records('logon-vdi-fslogix.json').map((r) => (r.Id === 4018 || r.Id === 5018 ? { ...r, Data: { ...r.Data, ScriptType: '0' } } : r));
    const [logon] = parseWindowsLogons(JSON.stringify(list));
    expect(logon!.phases.gpScriptsMs).toBeUndefined();
    expect(logon!.totalMs).toBe(26_300);
  });

  it('does not take machine policy (IsMachine true, as Boolean or UInt32) for the user\u2019s', () => {
    for (const machine of ['true', '1']) {
      const list = records('logon-vdi-fslogix.json').map((r) => (r.Id === 4001 ? { ...r, Data: { ...r.Data, IsMachine: machine } } : r));
      const [logon] = parseWindowsLogons(JSON.stringify(list));
      expect(logon!.phases.groupPolicyMs).toBeUndefined();
    }
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
    ['the older positional Properties', '{"Id": 4624, "LogName": "Security", "TimeCreated": "/Date(1732521490234)/", "Properties": ["S-1-5-18"]}', /positional Properties and no named Data/],
    ['a Data that is a list', '{"Id": 4624, "LogName": "Security", "TimeCreated": "/Date(1732521490234)/", "Data": ["S-1-5-18"]}', /Data that is not an object/],
  ])('throws a clear Error for %s', (_name, input, message) => {
    expect(() => parseWindowsLogons(input)).toThrow(message);
  });
});

describe('parseWindowsLogons: process creation not audited (Windows at its defaults)', () => {
  // logon-normal.json without its Security 4688 records: Shell-Core's logon tasks still mark the desktop ready.
  const normal = records('logon-normal.json');
  const no4688 = JSON.stringify(normal.filter((r) => r.Id !== 4688));
  const start = at('2024-11-25T07:58:10.234Z');

  it('takes desktop ready from the user\u2019s logon tasks: the same total, without the pre-shell and shell phases', () => {
    const logons = parseWindowsLogons(no4688);
    expect(logons).toHaveLength(1);
    expect(logons[0]).toMatchObject({ startedAt: start, ok: true, readyBy: 'shell-core-logon-tasks', totalMs: 18726, logonId: '0x5a3c1f2' });
    // 4624 10.234 → UPS1 11.700 → UPS2 16.050; GP 16.210 → 23.380; ActiveSetup 25.510 → 28.960
    expect(logons[0]!.phases).toEqual({ winlogonMs: 1466, profileMs: 4350, groupPolicyMs: 7170, logonTasksMs: 3450 });
  });

  it('leaves out a logon whose desktop cannot be told (no 4688, no Shell-Core), instead of calling it a 10-minute failure', () => {
    const bare = JSON.stringify(normal.filter((r) => r.Id !== 4688 && !/Shell-Core/.test(r.LogName)));
    const tenMinutesOn = start + 10 * 60_000;
    expect(parseWindowsLogons(bare, { now: tenMinutesOn })).toEqual([]);
    // Where this machine is known to audit process creation, the missing shell is a stuck logon.
    expect(parseWindowsLogons(bare, { now: tenMinutesOn, processCreationAudited: true })).toMatchObject([{ ok: false, reason: 'no shell start within 10 min', totalMs: 600_000 }]);
  });
});
