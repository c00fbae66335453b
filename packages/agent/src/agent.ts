// The agent: measures on a schedule, writes every measurement to the spool first, and lets the
// forwarder deliver from there. Nothing is sent that was not first on disk, so an outage of the
// network or the server loses nothing.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { topicName, type TelemetryEvent } from '@wardwatch/schema';
import { dnsCheck, httpCheck, serverResolve, tcpCheck } from './checks/index.ts';
import { toLogonBody } from './collect/index.ts';
import type { AgentConfig } from './config.ts';
import { Forwarder, HttpSender, KafkaSender, type Logger, type Sender } from './delivery/index.ts';
import { EventFactory } from './events.ts';
import { loadPseudonymKey, pseudonymise } from './identity.ts';
import { MarkBook, type MarkPhase } from './marks.ts';
import { startMarkServer } from './mark-server.ts';
import { HealthProbe } from './probes/health.ts';
import { LogonProbe } from './probes/logons.ts';
import { readWifi } from './probes/wifi.ts';
import type { RunCommand } from './probes/command.ts';
import { Spool } from './spool/index.ts';

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  log?: Logger;
  /** Replaces the OS tools (tests, or platforms without them). */
  run?: RunCommand;
  platform?: NodeJS.Platform;
  /** Clock for measurements, epoch ms. */
  now?: () => number;
}

interface Job {
  name: string;
  intervalMs: number;
  run: () => Promise<TelemetryEvent[]>;
}

/** JSON lines on stderr: what a service manager (systemd, the Windows event log via a wrapper) keeps. */
export function jsonLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  return (lvl, message, fields) => {
    if (order[lvl] < order[level]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...fields })}\n`);
  };
}

export class Agent {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly counts: Record<string, number> = {};
  private readonly failures: Record<string, string> = {};
  private markServer: Server | undefined;
  private stopping = false;
  markPort = 0;

  private constructor(
    readonly config: AgentConfig,
    private readonly spool: Spool,
    private readonly forwarder: Forwarder,
    private readonly sender: Sender,
    private readonly factory: EventFactory,
    private readonly marks: MarkBook,
    private readonly key: Buffer | undefined,
    private readonly options: Required<Pick<AgentOptions, 'log' | 'now' | 'platform'>> & Pick<AgentOptions, 'run'>,
    private readonly onClose: () => Promise<void>,
  ) {}

  static async start(config: AgentConfig, options: AgentOptions = {}): Promise<Agent> {
    const log = options.log ?? jsonLogger(config.log.level);
    const now = options.now ?? Date.now;
    await mkdir(config.spool.dir, { recursive: true });
    const key = loadPseudonymKey(config.pseudonymisation);
    if (!key) log('warn', 'no pseudonymisation key: logons are sent without a user pseudonym', { keyEnv: config.pseudonymisation.keyEnv });
    const spool = await Spool.open(join(config.spool.dir, 'queue'), {
      maxBytes: config.spool.maxBytes,
      maxAgeMs: config.spool.maxAge,
      onLoss: (loss) => log('warn', loss.kind === 'torn' ? 'a torn record was cut from the spool after a crash' : 'spool full or too old: oldest measurements dropped', { ...loss }),
    });
    // The agent's clock stamps each batch's sent-at, so the receiver measures this clock's skew.
    const { sender, close } = await makeSender(config, now);
    const forwarder = new Forwarder({
      spool,
      sender,
      flushIntervalMs: config.delivery.flushInterval,
      maxBatchRecords: config.delivery.maxBatch,
      log,
    });
    const factory = new EventFactory(config.identity as AgentConfig['identity'] & { device: string }, config.spool.dir);
    const agent = new Agent(config, spool, forwarder, sender, factory, new MarkBook(config.marks.expireAfter), key, { log, now, platform: options.platform ?? process.platform, run: options.run }, close);
    await agent.begin();
    return agent;
  }

  private async begin(): Promise<void> {
    const { config, options } = this;
    const mark = await startMarkServer({ mark: (name, phase, at, user) => this.mark(name, phase, at, user), status: () => this.status() }, config.marks.port, options.now);
    this.markServer = mark.server;
    this.markPort = mark.port;
    this.forwarder.start();
    for (const job of this.jobs()) this.schedule(job);
    this.every(10_000, () => {
      for (const expired of this.marks.expire(options.now())) options.log('warn', 'mark expired', { ...expired });
    });
    options.log('info', 'agent started', { version: AGENT_VERSION, device: config.identity.device, site: config.identity.site, destination: this.sender.destination, markPort: this.markPort });
  }

  private jobs(): Job[] {
    const { config, factory, options } = this;
    const jobs: Job[] = [];
    for (const check of config.checks) {
      if ('url' in check) {
        const ca = check.caFile ? readFileSync(check.caFile) : undefined;
        jobs.push({
          name: `check:${check.app}`,
          intervalMs: check.interval,
          run: async () => {
            const ts = options.now();
            const result = await httpCheck({ app: check.app, url: check.url, method: check.method, timeoutMs: check.timeout, ...(ca ? { ca } : {}) });
            return [factory.app(ts, result)];
          },
        });
      } else if ('dns' in check) {
        const resolver = check.servers ? serverResolve(check.servers) : undefined;
        jobs.push({
          name: `dns:${check.target}`,
          intervalMs: check.interval,
          run: async () => {
            const ts = options.now();
            const result = await dnsCheck({ target: check.target, hostname: check.dns, timeoutMs: check.timeout, ...(resolver ? { resolver } : {}) });
            return [factory.net(ts, { target: check.target, rttMs: result.totalMs, lossPct: result.ok ? 0 : 100 })];
          },
        });
      } else {
        const [host, port] = check.tcp.split(':') as [string, string];
        jobs.push({
          name: `check:${check.app}`,
          intervalMs: check.interval,
          run: async () => {
            const ts = options.now();
            return [factory.app(ts, await tcpCheck({ app: check.app, host, port: Number(port), timeoutMs: check.timeout }))];
          },
        });
      }
    }
    if (config.collect.wifi.enabled) {
      jobs.push({
        name: 'wifi',
        intervalMs: config.collect.wifi.interval,
        run: async () => {
          const reading = await readWifi({ platform: options.platform, ...(config.collect.wifi.interface ? { interface: config.collect.wifi.interface } : {}), ...(options.run ? { run: options.run } : {}) });
          if (!reading) {
            factory.ap = undefined;
            return []; // no wireless adapter: a wired workstation
          }
          factory.ap = reading.connected ? reading.bssid : undefined;
          return [factory.wifi(options.now(), reading)];
        },
      });
    }
    if (config.collect.health.enabled) {
      const probe = new HealthProbe();
      jobs.push({ name: 'health', intervalMs: config.collect.health.interval, run: async () => [factory.health(options.now(), await probe.sample())] });
    }
    if (config.collect.logon.enabled && (options.platform === 'win32' || options.platform === 'linux')) {
      const probe = new LogonProbe({ platform: options.platform, ...(options.run ? { run: options.run } : {}) });
      jobs.push({
        name: 'logon',
        intervalMs: config.collect.logon.interval,
        run: async () =>
          // Stamped when the logon ended (desktop ready, or given up on): it is known only then, and an
          // event stamped at its start arrived minutes behind the others and missed the live windows.
          (await probe.poll(options.now())).map((logon) => factory.logon(logon.startedAt + logon.totalMs, toLogonBody(logon, logon.account ? this.pseudonym(logon.account) : undefined))),
      });
    }
    return jobs;
  }

  private pseudonym(account: string): string | undefined {
    return this.key ? pseudonymise(account, this.key) : undefined;
  }

  /** Runs a job now-ish (a small random phase spreads a fleet's checks) and then every interval. */
  private schedule(job: Job): void {
    const tick = async () => {
      if (this.stopping) return;
      try {
        const events = await job.run();
        await this.record(events);
        delete this.failures[job.name];
      } catch (error) {
        this.failures[job.name] = (error as Error).message;
        this.options.log('warn', `${job.name} failed`, { error: (error as Error).message });
      }
    };
    const first = setTimeout(() => {
      this.timers.delete(first);
      void tick();
      this.every(job.intervalMs, tick);
    }, Math.floor(Math.random() * Math.min(job.intervalMs, 5_000)));
    this.timers.add(first);
  }

  private every(ms: number, fn: () => unknown): void {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
  }

  /** Measurements to disk, durably, before anything else happens to them. */
  async record(events: readonly TelemetryEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.spool.append(events.map((e) => JSON.stringify(e)));
    for (const e of events) this.counts[e.kind] = (this.counts[e.kind] ?? 0) + 1;
  }

  mark(name: string, phase: MarkPhase, at: number, user?: string): { durationMs?: number } {
    if (phase === 'start') {
      this.marks.start(name, at, user);
      return {};
    }
    const result = this.marks.end(name, at);
    const pseudonym = result.user ? this.pseudonym(result.user) : undefined;
    // A clinical application's logon, not the workstation's: the processor counts it as the
    // appLogonMs phase alone. Stamped when it ended, as a workstation logon is (when the wait was over).
    const event = this.factory.logon(result.startedAt + result.durationMs, {
      totalMs: result.durationMs,
      ok: true,
      readyBy: 'application-mark',
      phases: { appLogonMs: result.durationMs },
      ...(pseudonym ? { user: pseudonym } : {}),
    });
    this.record([event]).catch((error) => this.options.log('error', 'could not spool a mark', { error: (error as Error).message }));
    return { durationMs: result.durationMs };
  }

  status() {
    return {
      version: AGENT_VERSION,
      device: this.config.identity.device,
      destination: this.sender.destination,
      measured: { ...this.counts },
      failing: { ...this.failures },
      spool: this.spool.stats(),
      delivery: this.forwarder.stats(),
      marks: { open: this.marks.openMarks(), expired: this.marks.expired.slice(-10) },
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => (this.markServer ? this.markServer.close(() => resolve()) : resolve()));
    await this.forwarder.stop();
    this.factory.save();
    await this.sender.close();
    await this.onClose();
    await this.spool.close();
  }
}

async function makeSender(config: AgentConfig, clock: () => number): Promise<{ sender: Sender; close: () => Promise<void> }> {
  const http = config.delivery.http;
  if (http) {
    const token = http.token ?? (http.tokenFile ? readFileSync(http.tokenFile, 'utf8').trim() : undefined);
    if (!token) throw new Error('delivery.http needs a token or tokenFile: every device has its own ingest token');
    const ca = http.caFile ? readFileSync(http.caFile) : undefined;
    return { sender: new HttpSender({ url: http.url, token, clock, userAgent: `wardwatch-agent/${AGENT_VERSION}`, ...(ca ? { tls: { ca } } : {}) }), close: async () => {} };
  }
  // Loaded only when used: most workstations send over HTTP and need not carry a Kafka client.
  const kafka = config.delivery.kafka!;
  const { KafkaTransport } = await import('@wardwatch/transport/kafka');
  const transport = new KafkaTransport({ brokers: kafka.brokers, clientId: kafka.clientId });
  const producer = transport.producer();
  return {
    sender: new KafkaSender({ producer, clock, topic: topicName('telemetry', kafka.topicPrefix) }),
    close: async () => {
      await producer.close?.();
      await transport.close?.();
    },
  };
}
