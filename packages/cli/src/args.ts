// Command-line parsing for `wardwatch`: flags and environment, validated with messages that name the
// flag and say what is accepted.
import { parseArgs } from 'node:util';
import { shardProblem, type EstateShard } from '@wardwatch/simulator';
import { parseBrokers } from './kafka-options.ts';
import { accessOptions, type AccessArgs } from './access-options.ts';
import { UsageError } from './usage-error.ts';
import { storeUrlForDisplay } from '@wardwatch/store';

export { UsageError };
export { USAGE } from './usage.ts';

export interface StartArgs extends AccessArgs {
  command: 'start';
  demo: boolean;
  port: number;
  host: string;
  speed: number;
  scenario: string | undefined;
  seed: number;
  sites: number;
  backfillHours: number;
  /** Whole months of demo history before the current one (first run only). */
  historyMonths: number;
  storeUrl: string;
  logLevel: string;
  /** Ingest token file; undefined → ingest (POST /api/ingest, /v1/logs) is open. */
  ingestTokens?: string;
  /** Estate register file; undefined → any site and device is accepted. */
  estate?: string;
  /** New scopes per token per hour; undefined → no cap. */
  scopeCapPerHour?: number;
  /** SLO file (SLOs, rules, notifications); undefined → the built-in SLOs, no notifications. */
  sloFile?: string;
  /** Live status re-evaluation interval, ms; undefined → one window. */
  statusIntervalMs?: number;
  /** Processor worker threads; undefined → a core each but one (defaultProcessorThreads). */
  processorThreads?: number;
  /** Evidence settings file for reports (as report --config); undefined → the defaults. */
  evidenceConfig?: string;
  /** Inventory file for reports (as report --inventory); undefined → the live status board. */
  inventory?: string;
}

export interface KafkaArgs extends Partial<AccessArgs> {
  command: 'processor' | 'server' | 'simulate';
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
  storeUrl: string;
  port: number;
  host: string;
  logLevel: string;
  /** server only: ingest token file; undefined → ingest (POST /api/ingest, /v1/logs) is open. */
  ingestTokens?: string;
  /** server only: estate register file, as for start. */
  estate?: string;
  /** server only: new scopes per token per hour, as for start. */
  scopeCapPerHour?: number;
  /** server only: SLO file, as for start. */
  sloFile?: string;
  /** server only: evidence settings and inventory files, as for start. */
  evidenceConfig?: string;
  inventory?: string;
  /** processor only: live status re-evaluation interval, ms; undefined → one window. */
  statusIntervalMs?: number;
  // simulate only
  speed: number;
  scenario: string | undefined;
  seed: number;
  sites: number;
  minutes: number | undefined;
  from: number | undefined;
  /** The share of the estate's sites this process sends; undefined → every site. */
  shard?: EstateShard;
}

export interface RulesArgs {
  command: 'rules';
  /** File to write; undefined → standard output. */
  out: string | undefined;
  /** SLO definitions (YAML); undefined → the shipped defaults. */
  sloFile: string | undefined;
}

export interface TokenArgs {
  command: 'token';
  /** A device token (device, site and trust) or a site token (site, trust optional). */
  device: string | undefined;
  site: string | undefined;
  trust: string | undefined;
  note: string | undefined;
}

export interface ReportArgs {
  command: 'report';
  trust: string;
  site: string | undefined;
  month: string;
  format: 'html' | 'pdf' | 'csv' | 'json';
  /** File to write; undefined → standard output. */
  out: string | undefined;
  config: string | undefined;
  inventory: string | undefined;
  storeUrl: string;
}

export interface BackupArgs {
  command: 'backup';
  /** The new file the copy goes to. */
  to: string;
  storeUrl: string;
}

export type ParsedArgs = StartArgs | KafkaArgs | RulesArgs | TokenArgs | ReportArgs | BackupArgs | { command: 'help' };

function positiveNumber(flag: string, raw: string, { integer = false, min = 0, max = Infinity } = {}): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} ${range}; got "${raw}"`);
  }
  return value;
}

/**
 * The embedded pipeline's telemetry partitions (`start`): what its processor threads share, so the
 * most threads it can use.
 */
export const EMBEDDED_PARTITIONS = 12;

/** Devices on a simulated site: 8 wards of 10 (buildEstate's defaults). */
export const DEVICES_PER_SIMULATED_SITE = 80;
/**
 * The largest simulated estate: 2,000,000 devices, about NHS England's end-user devices. Past it one
 * process holds the estate and its state in more memory than a server has (docs/benchmarks.md, the
 * scale sweep).
 */
export const MAX_SIMULATED_SITES = 25_000;

/** --sites for start and simulate: the estate's size, the limit said in devices too. */
function simulatedSites(raw: string | undefined): number {
  const value = raw ?? '12';
  const sites = Number(value);
  if (value.trim() === '' || !Number.isInteger(sites) || sites < 1 || sites > MAX_SIMULATED_SITES) {
    throw new UsageError(
      `--sites must be a whole number between 1 and ${MAX_SIMULATED_SITES.toLocaleString('en-GB')} (${DEVICES_PER_SIMULATED_SITE} devices a site: at most ${(MAX_SIMULATED_SITES * DEVICES_PER_SIMULATED_SITE).toLocaleString('en-GB')} devices); got "${value}"`,
    );
  }
  return sites;
}

const SCENARIO_NAMES = ['ap-degraded', 'site-wan-congested', 'device-slow', 'app-down', 'app-flaky', 'site-dns-slow'];
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];


/** start and server: sign-in and who may reach the server (access-options.ts). */
const ACCESS_FLAGS = {
  'auth-config': { type: 'string' },
  'auth-on-network': { type: 'boolean' },
  'allowed-hosts': { type: 'string' },
  'public-url': { type: 'string' },
} as const;

/** start and server: what evidence packs read besides the store (see evidence-sources.ts). */
const EVIDENCE_FLAGS = { 'evidence-config': { type: 'string' }, inventory: { type: 'string' } } as const;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** The commands that run something (start, processor, server, simulate): where, how fast, what. */
const RUN_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  speed: { type: 'string' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  sites: { type: 'string' },
  store: { type: 'string' },
  'log-level': { type: 'string' },
  ...HELP,
} as const;

/** start and server: what the server reads besides the store (the Kafka commands refuse them for processor and simulate). */
const SERVER_FLAGS = {
  'ingest-tokens': { type: 'string' },
  estate: { type: 'string' },
  'scope-cap': { type: 'string' },
  'slo-file': { type: 'string' },
  ...EVIDENCE_FLAGS,
  ...ACCESS_FLAGS,
} as const;

/**
 * Each command's flags, exactly: any other is refused with its name (a flag that does nothing for a
 * command was taken silently while every command shared one list). USAGE names every one of them
 * (args.test.ts).
 */
export const COMMAND_FLAGS = {
  start: {
    ...RUN_FLAGS,
    demo: { type: 'boolean' },
    'backfill-hours': { type: 'string' },
    'history-months': { type: 'string' },
    'status-interval': { type: 'string' },
    'processor-threads': { type: 'string' },
    ...SERVER_FLAGS,
  },
  /** processor, server and simulate: one list, each refusing with a reason the flags of the others. */
  kafka: {
    ...RUN_FLAGS,
    'kafka-brokers': { type: 'string' },
    'client-id': { type: 'string' },
    'topic-prefix': { type: 'string' },
    partitions: { type: 'string' },
    kafka: { type: 'boolean' },
    minutes: { type: 'string' },
    from: { type: 'string' },
    shard: { type: 'string' },
    'status-interval': { type: 'string' },
    ...SERVER_FLAGS,
  },
  rules: { out: { type: 'string' }, 'slo-file': { type: 'string' }, ...HELP },
  token: { device: { type: 'string' }, site: { type: 'string' }, trust: { type: 'string' }, note: { type: 'string' }, ...HELP },
  report: { trust: { type: 'string' }, site: { type: 'string' }, month: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, config: { type: 'string' }, inventory: { type: 'string' }, store: { type: 'string' }, ...HELP },
  backup: { to: { type: 'string' }, store: { type: 'string' }, ...HELP },
} as const;

function parseFlags<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, allowNegative: true, options }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; run wardwatch --help for the options`);
  }
}

/** The store every command uses unless told otherwise: where real time is kept. */
export const DEFAULT_STORE_URL = 'sqlite:.data/wardwatch.db';
/**
 * A demo at a speed other than 1 keeps its own store by default: its simulated clock runs hours ahead
 * of the wall clock, and in the real-time store it would leave windows closed hours into the future,
 * so that a real agent's measurements, stamped with the wall clock, would all be judged late.
 */
export const ACCELERATED_DEMO_STORE_URL = 'sqlite:.data/wardwatch-speed.db';

/** --store, else WARDWATCH_STORE, else the default: a SQLite or PostgreSQL URL. */
function storeUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv, defaultStore = DEFAULT_STORE_URL): string {
  const storeUrl = flag ?? env.WARDWATCH_STORE ?? defaultStore;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(storeUrl)) throw new UsageError(`--store must be sqlite:<path> or postgres://…; got "${storeUrlForDisplay(storeUrl)}"`);
  return storeUrl;
}

/** Log level, store URL and scenario: validated alike for the commands that run something. */
function sharedValues(values: { 'log-level'?: string; store?: string; scenario?: string }, env: NodeJS.ProcessEnv, defaultScenario: string, defaultStore = DEFAULT_STORE_URL) {
  const logLevel = values['log-level'] ?? env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  const storeUrl = storeUrlOf(values.store, env, defaultStore);
  const scenario = values.scenario ?? defaultScenario;
  if (scenario !== 'none' && !SCENARIO_NAMES.includes(scenario)) {
    throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')} or none; got "${scenario}"`);
  }
  return { logLevel, storeUrl, scenario: scenario === 'none' ? undefined : scenario };
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === 'processor' || command === 'server' || command === 'simulate') return parseKafkaCommand(command, rest, env);
  if (command === 'rules') {
    const values = parseFlags(rest, COMMAND_FLAGS.rules);
    if (values.help) return { command: 'help' };
    return { command: 'rules', out: values.out, sloFile: values['slo-file'] };
  }
  if (command === 'token') return parseTokenCommand(rest);
  if (command === 'report') return parseReportCommand(rest, env);
  if (command === 'backup') {
    const values = parseFlags(rest, COMMAND_FLAGS.backup);
    if (values.help) return { command: 'help' };
    if (!values.to?.trim()) throw new UsageError('backup needs --to FILE, a new file for the copy');
    return { command: 'backup', to: values.to, storeUrl: storeUrlOf(values.store, env) };
  }
  if (command !== 'start') throw new UsageError(`unknown command "${command}"; run wardwatch --help for the commands`);
  const values = parseFlags(rest, COMMAND_FLAGS.start);
  if (values.help) return { command: 'help' };
  const demo = values.demo ?? true;
  const speed = positiveNumber('--speed', values.speed ?? '1', { min: 0.01, max: 10_000 });
  const { logLevel, storeUrl, scenario } = sharedValues(values, env, 'site-wan-congested', demo && speed !== 1 ? ACCELERATED_DEMO_STORE_URL : DEFAULT_STORE_URL);
  return {
    command: 'start',
    demo,
    port: positiveNumber('--port', values.port ?? (env.PORT || '8080'), { integer: true, max: 65535 }),
    host: values.host ?? (env.HOST || '127.0.0.1'),
    speed,
    scenario,
    seed: positiveNumber('--seed', values.seed ?? '42', { integer: true }),
    sites: simulatedSites(values.sites),
    backfillHours: positiveNumber('--backfill-hours', values['backfill-hours'] ?? '1', { max: 48 }),
    historyMonths: positiveNumber('--history-months', values['history-months'] ?? '3', { integer: true, max: 12 }),
    storeUrl,
    logLevel,
    ingestTokens: ingestTokenFile(values['ingest-tokens'], env),
    ...ingestPlace(values, env, ingestTokenFile(values['ingest-tokens'], env) !== undefined),
    ...accessOptions('start', values.host ?? (env.HOST || '127.0.0.1'), values, env),
    sloFile: sloFileOf(values['slo-file'], env),
    ...statusInterval(values['status-interval']),
    ...(values['processor-threads'] === undefined ? {} : { processorThreads: positiveNumber('--processor-threads', values['processor-threads'], { integer: true, min: 0, max: EMBEDDED_PARTITIONS }) }),
    ...evidenceFiles(values, env),
  };
}

/** --evidence-config (else WARDWATCH_EVIDENCE_FILE) and --inventory (else the estate file unless CSV). */
function evidenceFiles(values: { 'evidence-config'?: string; inventory?: string; estate?: string }, env: NodeJS.ProcessEnv): { evidenceConfig?: string; inventory?: string } {
  for (const flag of ['evidence-config', 'inventory'] as const) {
    if (values[flag] !== undefined && values[flag]!.trim() === '') throw new UsageError(`--${flag} needs a file name`);
  }
  const evidenceConfig = (values['evidence-config'] ?? env.WARDWATCH_EVIDENCE_FILE)?.trim() || undefined;
  const estate = (values.estate ?? env.WARDWATCH_ESTATE)?.trim() || undefined;
  const inventory = values.inventory?.trim() || (estate && !/\.csv$/i.test(estate) ? estate : undefined);
  return { ...(evidenceConfig ? { evidenceConfig } : {}), ...(inventory ? { inventory } : {}) };
}

/** A token's default scope cap: a site token imaging a large site brings a few hundred devices. */
const DEFAULT_SCOPE_CAP = 1000;

/** --estate and --scope-cap (else WARDWATCH_ESTATE, WARDWATCH_SCOPE_CAP) → what start and server pass on. */
function ingestPlace(values: { estate?: string; 'scope-cap'?: string }, env: NodeJS.ProcessEnv, tokens: boolean): { estate?: string; scopeCapPerHour?: number } {
  if (values.estate !== undefined && values.estate.trim() === '') throw new UsageError('--estate needs a file name');
  const estate = (values.estate ?? env.WARDWATCH_ESTATE)?.trim() || undefined;
  const cap = values['scope-cap'] ?? (env.WARDWATCH_SCOPE_CAP?.trim() || undefined);
  // Open ingest has no token to cap apart: a default there would cap a whole trust's first hour.
  const scopeCapPerHour = cap === undefined ? (tokens ? DEFAULT_SCOPE_CAP : undefined) : cap === 'off' ? undefined : positiveNumber('--scope-cap', cap, { integer: true, max: 1_000_000 });
  return { ...(estate ? { estate } : {}), ...(scopeCapPerHour !== undefined ? { scopeCapPerHour } : {}) };
}

/** Milliseconds that divide a minute: status ticks then fall on every window's end. */
const MINUTE_DIVISORS_MS = [100, 200, 250, 500, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 10_000, 12_000, 15_000, 20_000, 30_000, 60_000];

/**
 * `wardwatch start`'s status cadence when --status-interval is not given: every fifth of a second of
 * real time — the demo delivers every quarter second, so each round's statuses reach the board with it
 * (a tick judges only what changed, so it costs little). In event time that is `speed` fifths of a
 * second, rounded up to a divisor of the minute (so ticks meet each window's end) and at most the
 * minute itself.
 */
export function defaultStatusIntervalMs(speed: number): number {
  const wanted = 200 * speed;
  return MINUTE_DIVISORS_MS.find((ms) => ms >= wanted) ?? 60_000;
}

/**
 * `wardwatch processor`'s status cadence when --status-interval is not given: every second. Each
 * processor publishes its sites at every tick to every server reading the status topic; a second keeps
 * that traffic small at a trust's scale (the embedded pipeline's board is in the same process).
 */
export const PROCESSOR_STATUS_INTERVAL_MS = 1_000;

/** --status-interval in seconds → { statusIntervalMs }, or nothing when not given. */
function statusInterval(flag: string | undefined): { statusIntervalMs?: number } {
  if (flag === undefined) return {};
  return { statusIntervalMs: Math.round(positiveNumber('--status-interval', flag, { min: 0.1, max: 60 }) * 1000) };
}

/** --slo-file, else WARDWATCH_SLO_FILE; neither → undefined (the built-in SLOs). */
function sloFileOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined && flag.trim() === '') throw new UsageError('--slo-file needs a file name');
  const file = flag ?? env.WARDWATCH_SLO_FILE;
  return file?.trim() ? file : undefined;
}

/** --ingest-tokens, else WARDWATCH_INGEST_TOKENS; an empty value means none. */
function ingestTokenFile(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const file = flag ?? env.WARDWATCH_INGEST_TOKENS;
  if (flag !== undefined && flag.trim() === '') throw new UsageError('--ingest-tokens needs a file name');
  return file?.trim() ? file : undefined;
}

const IDENTIFIER = /^[A-Za-z0-9._:\-/]{1,128}$/;

function parseTokenCommand(rest: string[]): TokenArgs | { command: 'help' } {
  const values = parseFlags(rest, COMMAND_FLAGS.token);
  if (values.help) return { command: 'help' };
  if (values.device === undefined && values.site === undefined) {
    throw new UsageError('token needs --device ID --site ID --trust ID (one device, where it belongs) or --site ID (every device of a site)');
  }
  if (values.device !== undefined && (values.site === undefined || values.trust === undefined)) {
    throw new UsageError(`a device token carries where the device belongs: add ${[values.site === undefined ? '--site ID' : '', values.trust === undefined ? '--trust ID' : ''].filter(Boolean).join(' and ')} (its events claiming another site or trust are refused)`);
  }
  for (const [flag, id] of [['--device', values.device], ['--site', values.site], ['--trust', values.trust]] as const) {
    if (id !== undefined && !IDENTIFIER.test(id)) throw new UsageError(`${flag} must be 1 to 128 letters, digits and . _ : - / as in the events; got "${id}"`);
  }
  return { command: 'token', device: values.device, site: values.site, trust: values.trust, note: values.note };
}

function parseKafkaCommand(command: KafkaArgs['command'], rest: string[], env: NodeJS.ProcessEnv): KafkaArgs | { command: 'help' } {
  const values = parseFlags(rest, COMMAND_FLAGS.kafka);
  if (values.help) return { command: 'help' };
  for (const name of Object.keys(ACCESS_FLAGS)) {
    if (command !== 'server' && values[name as keyof typeof ACCESS_FLAGS] !== undefined) throw new UsageError(`--${name} applies to start and server, not ${command}`);
  }
  if (command !== 'processor' && values['status-interval'] !== undefined) throw new UsageError(`--status-interval applies to start and processor, not ${command}`);
  if (command !== 'server' && values['slo-file'] !== undefined) throw new UsageError(`--slo-file applies to start and server, not ${command}`);
  for (const flag of ['ingest-tokens', 'estate', 'scope-cap', 'evidence-config', 'inventory'] as const) {
    if (command !== 'server' && values[flag] !== undefined) throw new UsageError(`--${flag} applies to start and server, not ${command}`);
  }
  if (command !== 'simulate' && values.shard !== undefined) throw new UsageError(`--shard applies to simulate, not ${command}`);
  if (command === 'simulate' && !values.kafka) throw new UsageError('simulate sends to Kafka: add --kafka (wardwatch start runs the simulator embedded)');
  const { logLevel, storeUrl, scenario } = sharedValues(values, env, 'none');
  let from: number | undefined;
  if (values.from !== undefined) {
    from = Date.parse(values.from);
    if (!Number.isFinite(from)) throw new UsageError(`--from must be an ISO time like 2026-11-24T09:00:00Z; got "${values.from}"`);
  }
  return {
    command,
    brokers: parseBrokers(values['kafka-brokers'] ?? (env.KAFKA_BROKERS || '127.0.0.1:19092')),
    clientId: values['client-id'] ?? (env.KAFKA_CLIENT_ID || `wardwatch-${command}`),
    topicPrefix: values['topic-prefix'] ?? (env.WARDWATCH_TOPIC_PREFIX || 'wardwatch'),
    partitions: positiveNumber('--partitions', values.partitions ?? '12', { integer: true, min: 1, max: 1000 }),
    storeUrl,
    port: positiveNumber('--port', values.port ?? (env.PORT || (command === 'processor' ? '9464' : '8080')), { integer: true, max: 65535 }),
    host: values.host ?? (env.HOST || '127.0.0.1'),
    logLevel,
    ingestTokens: command === 'server' ? ingestTokenFile(values['ingest-tokens'], env) : undefined,
    ...(command === 'server' ? ingestPlace(values, env, ingestTokenFile(values['ingest-tokens'], env) !== undefined) : {}),
    ...(command === 'server' ? accessOptions('server', values.host ?? (env.HOST || '127.0.0.1'), values, env) : {}),
    sloFile: command === 'server' ? sloFileOf(values['slo-file'], env) : undefined,
    ...(command === 'server' ? evidenceFiles(values, env) : {}),
    ...(command === 'processor' ? statusInterval(values['status-interval']) : {}),
    speed: positiveNumber('--speed', values.speed ?? '1', { min: 0.01, max: 100_000 }),
    scenario,
    seed: positiveNumber('--seed', values.seed ?? '42', { integer: true }),
    sites: simulatedSites(values.sites),
    minutes: values.minutes === undefined ? undefined : positiveNumber('--minutes', values.minutes, { min: 0.01 }),
    from,
    ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
  };
}

/** --shard K/N: the K-th of N shares of the simulated estate, K from 1 to N. */
function parseShard(raw: string): EstateShard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || shardProblem(shard) !== undefined) {
    throw new UsageError(`--shard must be K/N, this process being the K-th of N simulators, K from 1 to N (e.g. 2/4); got "${raw}"`);
  }
  return shard;
}

const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;

function parseReportCommand(rest: string[], env: NodeJS.ProcessEnv): ReportArgs | { command: 'help' } {
  const values = parseFlags(rest, COMMAND_FLAGS.report);
  if (values.help) return { command: 'help' };
  if (!values.trust || !IDENTIFIER.test(values.trust)) throw new UsageError(`report needs --trust ID (letters, digits and . _ : - /)${values.trust ? `; got "${values.trust}"` : ''}`);
  if (values.site !== undefined && !IDENTIFIER.test(values.site)) throw new UsageError(`--site must be a site id (letters, digits and . _ : - /); got "${values.site}"`);
  if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError(`report needs --month YYYY-MM, e.g. 2026-10${values.month ? `; got "${values.month}"` : ''}`);
  const fromOut = values.out?.split('.').pop()?.toLowerCase();
  const format = values.format ?? (REPORT_FORMATS.includes(fromOut as never) ? fromOut : 'html');
  if (!REPORT_FORMATS.includes(format as never)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}; got "${format}"`);
  if (format === 'pdf' && !values.out) throw new UsageError('--format pdf needs --out FILE (a PDF is not written to a terminal)');
  // The report logs nothing: a LOG_LEVEL set for the services is none of its business.
  const storeUrl = storeUrlOf(values.store, env);
  return {
    command: 'report',
    trust: values.trust,
    site: values.site,
    month: values.month,
    format: format as ReportArgs['format'],
    out: values.out,
    config: (values.config ?? env.WARDWATCH_EVIDENCE_FILE)?.trim() || undefined,
    inventory: (values.inventory ?? env.WARDWATCH_ESTATE)?.trim() || undefined,
    storeUrl,
  };
}
