import { describe, expect, it } from 'vitest';
import { COMMAND_FLAGS, defaultStatusIntervalMs, parseCommandLine, USAGE } from './args.ts';

describe('parseCommandLine', () => {
  it('gives start its defaults', () => {
    expect(parseCommandLine(['start'], {})).toMatchObject({ command: 'start', demo: true, port: 8080, speed: 1, scenario: 'site-wan-congested', storeUrl: 'sqlite:.data/wardwatch.db' });
  });

  it.each([
    [['start', '--no-demo'], { demo: false }],
    [['start', '--scenario', 'none'], { scenario: undefined }],
    [['processor', '--kafka-brokers', 'a:1,b:2', '--partitions', '24'], { command: 'processor', brokers: ['a:1', 'b:2'], partitions: 24, port: 9464 }],
    [['server'], { command: 'server', port: 8080, brokers: ['127.0.0.1:19092'], topicPrefix: 'wardwatch' }],
    [['simulate', '--kafka', '--minutes', '5', '--from', '2026-11-24T09:00:00Z'], { command: 'simulate', minutes: 5, from: Date.UTC(2026, 10, 24, 9) }],
  ])('%j', (argv, expected) => {
    expect(parseCommandLine(argv, {})).toMatchObject(expected);
  });

  it.each<[string[], Record<string, string>, string]>([
    [['start'], {}, 'sqlite:.data/wardwatch.db'],
    [['start', '--speed', '1'], {}, 'sqlite:.data/wardwatch.db'],
    [['start', '--speed', '60'], {}, 'sqlite:.data/wardwatch-speed.db'],
    [['start', '--speed', '0.5'], {}, 'sqlite:.data/wardwatch-speed.db'],
    [['start', '--no-demo', '--speed', '60'], {}, 'sqlite:.data/wardwatch.db'], // no simulated clock without the demo
    [['start', '--speed', '60', '--store', 'sqlite:/tmp/x.db'], {}, 'sqlite:/tmp/x.db'],
    [['start', '--speed', '60'], { WARDWATCH_STORE: 'postgres://db/x' }, 'postgres://db/x'],
  ])('start %j with %j keeps its data in %s: simulated and real time apart', (argv, env, storeUrl) => {
    expect(parseCommandLine(argv, env)).toMatchObject({ storeUrl });
  });

  it('takes simulated estates up to 25,000 sites (2,000,000 devices) for start and simulate, and names the flag and the limit past it', () => {
    expect(parseCommandLine(['start', '--sites', '1250'], {})).toMatchObject({ sites: 1_250 });
    expect(parseCommandLine(['start', '--sites', '25000'], {})).toMatchObject({ sites: 25_000 });
    expect(parseCommandLine(['simulate', '--kafka', '--sites', '6250'], {})).toMatchObject({ sites: 6_250 });
    for (const argv of [['start', '--sites', '25001'], ['simulate', '--kafka', '--sites', '25001']]) {
      expect(() => parseCommandLine(argv, {})).toThrow('--sites must be a whole number between 1 and 25,000 (80 devices a site: at most 2,000,000 devices); got "25001"');
    }
    for (const bad of ['0', '1.5', '', 'many']) expect(() => parseCommandLine(['start', '--sites', bad], {})).toThrow(/^--sites must be a whole number/);
  });

  it('reads the environment when flags are absent', () => {
    expect(parseCommandLine(['server'], { KAFKA_BROKERS: 'k:9092', PORT: '9000', WARDWATCH_STORE: 'postgres://db/x' })).toMatchObject({
      brokers: ['k:9092'], port: 9000, storeUrl: 'postgres://db/x',
    });
  });

  it('takes a live status interval in seconds for start and processor only', () => {
    expect(parseCommandLine(['start', '--status-interval', '10'], {})).toMatchObject({ statusIntervalMs: 10_000 });
    expect(parseCommandLine(['processor', '--status-interval', '0.5'], {})).toMatchObject({ statusIntervalMs: 500 });
    expect(parseCommandLine(['start'], {})).not.toHaveProperty('statusIntervalMs');
    expect(() => parseCommandLine(['start', '--status-interval', '120'], {})).toThrow(/--status-interval/);
    expect(() => parseCommandLine(['server', '--status-interval', '5'], {})).toThrow(/applies to start and processor, not server/);
  });

  it('takes the processor threads for start, 0 (the main thread) to the 12 partitions they share', () => {
    expect(parseCommandLine(['start', '--processor-threads', '3'], {})).toMatchObject({ processorThreads: 3 });
    expect(parseCommandLine(['start', '--processor-threads', '0'], {})).toMatchObject({ processorThreads: 0 });
    expect(parseCommandLine(['start'], {})).not.toHaveProperty('processorThreads');
    for (const bad of ['-1', '13', '1.5', 'all']) {
      expect(() => parseCommandLine(['start', `--processor-threads=${bad}`], {})).toThrow(`--processor-threads must be a whole number between 0 and 12; got "${bad}"`);
    }
    expect(() => parseCommandLine(['processor', '--processor-threads', '2'], {})).toThrow(/processor-threads/);
  });

  it.each([
    [1, 200],
    [0.5, 100],
    [1.2, 250],
    [5, 1_000],
    [7, 2_000],
    [60, 12_000],
    [200, 60_000],
    [600, 60_000],
  ])('without --status-interval, statuses tick every fifth of a second of real time: at speed %s, every %i ms of event time (a divisor of the minute)', (speed, ms) => {
    expect(defaultStatusIntervalMs(speed)).toBe(ms);
    expect(60_000 % ms).toBe(0);
  });

  it('takes the ingest token file from --ingest-tokens, else WARDWATCH_INGEST_TOKENS, for start and server only', () => {
    expect(parseCommandLine(['start', '--ingest-tokens', 't.yaml'], { WARDWATCH_INGEST_TOKENS: 'env.yaml' })).toMatchObject({ ingestTokens: 't.yaml' });
    expect(parseCommandLine(['server'], { WARDWATCH_INGEST_TOKENS: 'env.yaml' })).toMatchObject({ ingestTokens: 'env.yaml' });
    expect(parseCommandLine(['start'], { WARDWATCH_INGEST_TOKENS: '' })).toMatchObject({ ingestTokens: undefined });
    expect(parseCommandLine(['processor'], { WARDWATCH_INGEST_TOKENS: 'env.yaml' })).toMatchObject({ ingestTokens: undefined });
    expect(() => parseCommandLine(['processor', '--ingest-tokens', 't.yaml'], {})).toThrow(/applies to start and server/);
  });

  it('takes the SLO file (with its notifications) from --slo-file, else WARDWATCH_SLO_FILE, for start and server only', () => {
    expect(parseCommandLine(['start', '--slo-file', 'slos.yaml'], { WARDWATCH_SLO_FILE: 'env.yaml' })).toMatchObject({ sloFile: 'slos.yaml' });
    expect(parseCommandLine(['server'], { WARDWATCH_SLO_FILE: 'env.yaml' })).toMatchObject({ sloFile: 'env.yaml' });
    expect(parseCommandLine(['start'], {})).toMatchObject({ sloFile: undefined });
    expect(() => parseCommandLine(['start', '--slo-file', ''], {})).toThrow(/--slo-file needs a file name/);
    expect(() => parseCommandLine(['simulate', '--kafka', '--slo-file', 'slos.yaml'], {})).toThrow(/--slo-file applies to start and server, not simulate/);
    expect(parseCommandLine(['start', '--scenario', 'app-flaky'], {})).toMatchObject({ scenario: 'app-flaky' });
  });

  it('parses token --device with its --site and --trust, or --site alone', () => {
    expect(parseCommandLine(['token', '--device', 'RXX01-W03-D07', '--site', 'RXX01', '--trust', 'RXX'], {})).toEqual({
      command: 'token', device: 'RXX01-W03-D07', site: 'RXX01', trust: 'RXX', note: undefined,
    });
    expect(parseCommandLine(['token', '--site', 'RXX01', '--note', 'imaging'], {})).toMatchObject({ command: 'token', site: 'RXX01', trust: undefined, note: 'imaging' });
    expect(() => parseCommandLine(['token'], {})).toThrow(/--device ID --site ID --trust ID .* or --site ID/);
    expect(() => parseCommandLine(['token', '--device', 'a'], {})).toThrow(/a device token carries where the device belongs: add --site ID and --trust ID/);
    expect(() => parseCommandLine(['token', '--device', 'a', '--site', 'b'], {})).toThrow(/add --trust ID \(/);
    expect(() => parseCommandLine(['token', '--device', 'has space', '--site', 'S', '--trust', 'T'], {})).toThrow(/--device must be/);
    expect(() => parseCommandLine(['token', '--site', 'S', '--trust', 'T T'], {})).toThrow(/--trust must be/);
  });

  it('takes the estate register and scope cap for start and server only; the cap defaults on with tokens', () => {
    expect(parseCommandLine(['start', '--estate', 'estate.csv', '--scope-cap', '50'], {})).toMatchObject({ estate: 'estate.csv', scopeCapPerHour: 50 });
    expect(parseCommandLine(['server'], { WARDWATCH_ESTATE: 'e.yaml', WARDWATCH_SCOPE_CAP: '7' })).toMatchObject({ estate: 'e.yaml', scopeCapPerHour: 7 });
    expect(parseCommandLine(['start', '--ingest-tokens', 't.yaml'], {})).toMatchObject({ scopeCapPerHour: 1000 });
    expect(parseCommandLine(['start', '--ingest-tokens', 't.yaml', '--scope-cap', 'off'], {})).not.toHaveProperty('scopeCapPerHour');
    expect(parseCommandLine(['start'], {})).not.toHaveProperty('scopeCapPerHour');
    expect(parseCommandLine(['start'], {})).not.toHaveProperty('estate');
    expect(() => parseCommandLine(['start', '--scope-cap', 'lots'], {})).toThrow(/--scope-cap must be a whole number/);
    expect(() => parseCommandLine(['start', '--estate', ''], {})).toThrow(/--estate needs a file name/);
    expect(() => parseCommandLine(['processor', '--estate', 'e.yaml'], {})).toThrow(/--estate applies to start and server, not processor/);
  });

  it.each([
    [['simulate'], /add --kafka/],
    [['processor', '--kafka-brokers', 'nohost'], /not host:port/],
    [['server', '--store', 'redis://x'], /--store must be/],
    [['simulate', '--kafka', '--from', 'yesterday'], /--from must be an ISO time/],
    [['server', '--log-level', 'loud'], /--log-level must be one of/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });
});

describe('report', () => {
  it('takes its store from --store, else WARDWATCH_STORE, and ignores LOG_LEVEL (it logs nothing)', () => {
    const argv = ['report', '--trust', 'RXX', '--month', '2026-10'];
    expect(parseCommandLine(argv, { WARDWATCH_STORE: 'postgres://h/db', LOG_LEVEL: 'chatty' })).toMatchObject({ command: 'report', storeUrl: 'postgres://h/db' });
    expect(parseCommandLine([...argv, '--store', 'sqlite:x.db'], { WARDWATCH_STORE: 'postgres://h/db' })).toMatchObject({ storeUrl: 'sqlite:x.db' });
    expect(() => parseCommandLine([...argv, '--store', 'mysql://h'], {})).toThrow(/--store must be sqlite:<path> or postgres:\/\/…; got "mysql:\/\/h"/);
    // The services still refuse a level they do not know.
    expect(() => parseCommandLine(['start'], { LOG_LEVEL: 'chatty' })).toThrow(/--log-level must be one of/);
  });
});

describe('--shard', () => {
  it.each([
    ['2/4', { index: 2, count: 4 }],
    ['1/1', { index: 1, count: 1 }],
    ['4/4', { index: 4, count: 4 }],
  ])('simulate takes %s as the K-th of N shares of the estate', (raw, shard) => {
    expect(parseCommandLine(['simulate', '--kafka', '--shard', raw], {})).toMatchObject({ shard });
  });

  it('leaves a lone simulator the whole estate', () => {
    expect(parseCommandLine(['simulate', '--kafka'], {})).not.toHaveProperty('shard');
  });

  it.each(['0/4', '5/4', '2', '2/0', '1.5/3', 'a/b', '2/4/8', ''])('refuses "%s", naming the flag and the form', (raw) => {
    expect(() => parseCommandLine(['simulate', '--kafka', '--shard', raw], {})).toThrow(`--shard must be K/N, this process being the K-th of N simulators, K from 1 to N (e.g. 2/4); got "${raw}"`);
  });

  it('is for simulate only', () => {
    expect(() => parseCommandLine(['processor', '--shard', '1/2'], {})).toThrow(/--shard applies to simulate, not processor/);
    expect(() => parseCommandLine(['start', '--shard', '1/2'], {})).toThrow(/--shard/);
  });
});

describe('--history-months', () => {
  it('defaults to three whole months before the current one, takes 0 for none, refuses more than 12', () => {
    expect(parseCommandLine(['start'], {})).toMatchObject({ historyMonths: 3 });
    expect(parseCommandLine(['start', '--history-months', '0'], {})).toMatchObject({ historyMonths: 0 });
    expect(() => parseCommandLine(['start', '--history-months', '13'], {})).toThrow(/--history-months must be a whole number between 0 and 12; got "13"/);
  });
});

describe('backup', () => {
  it('takes --to, and its store from --store, else WARDWATCH_STORE, else the default', () => {
    expect(parseCommandLine(['backup', '--to', 'copy.db'], {})).toEqual({ command: 'backup', to: 'copy.db', storeUrl: 'sqlite:.data/wardwatch.db' });
    expect(parseCommandLine(['backup', '--to', 'copy.db'], { WARDWATCH_STORE: 'sqlite:/var/lib/wardwatch/ww.db' })).toMatchObject({ storeUrl: 'sqlite:/var/lib/wardwatch/ww.db' });
    expect(parseCommandLine(['backup', '--to', 'copy.db', '--store', 'sqlite:x.db'], { WARDWATCH_STORE: 'postgres://h/db' })).toMatchObject({ storeUrl: 'sqlite:x.db' });
  });

  it.each([
    [['backup'], /backup needs --to FILE, a new file for the copy/],
    [['backup', '--to', ' '], /backup needs --to FILE/],
    [['backup', '--to', 'c.db', '--store', '.data/wardwatch.db'], /--store must be sqlite:<path> or postgres/],
    [['backup', '--to', 'c.db', '--port', '1'], /Unknown option '--port'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });
});

describe('the help text and the flags each command takes', () => {
  /** Every flag the help names, as written after its dashes ("no-demo" included). */
  const named = new Set([...USAGE.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));

  it.each(Object.entries(COMMAND_FLAGS))('%s: the help names every flag it takes (a switch on by default, as its --no- form)', (_, flags) => {
    const unnamed = Object.entries(flags).filter(([flag, { type }]) => !named.has(flag) && !(type === 'boolean' && named.has(`no-${flag}`)));
    expect(unnamed.map(([flag]) => flag)).toEqual([]);
  });

  it('every flag the help names is taken by a command (a --no- flag as its flag turned off)', () => {
    const taken = new Set(Object.values(COMMAND_FLAGS).flatMap((flags) => Object.keys(flags)));
    expect([...named].filter((flag) => !taken.has(flag) && !(flag.startsWith('no-') && taken.has(flag.slice(3))))).toEqual([]);
  });

  it.each([
    [['token', '--site', 'RXX01', '--port', '9000'], '--port'],
    [['rules', '--out', 'r.yaml', '--sites', '3'], '--sites'],
    [['report', '--trust', 'RXX', '--month', '2026-10', '--speed', '2'], '--speed'],
    [['start', '--note', 'x'], '--note'],
    [['processor', '--processor-threads', '2'], '--processor-threads'],
  ])('%j: a flag the command does not use is refused by name', (argv, flag) => {
    expect(() => parseCommandLine(argv, {})).toThrow(new RegExp(`Unknown option '${flag}'.*run wardwatch --help`));
  });
});
