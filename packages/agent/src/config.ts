// The agent's configuration: YAML → validated settings with defaults, and errors that name the field.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Identifier, parseConfig } from '@wardwatch/schema';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "500ms", "30s", "5m", "1h", "7d" → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** "64MiB", "500KiB", "1GiB", "1048576" → bytes. */
export function parseBytes(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2] ?? 'B']!;
  return Math.round(Number(match[1]) * unit);
}

const duration = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration like "30s", "5m" or "1h"' });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min / 1000} s and ${max / 1000} s` });
      return z.NEVER;
    }
    return ms;
  });

const bytes = (min: number) =>
  z.union([z.number().int(), z.string()]).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : parseBytes(value);
    if (n === undefined || n < min) {
      ctx.addIssue({ code: 'custom', message: `must be a size of at least ${min} bytes, like "64MiB"` });
      return z.NEVER;
    }
    return n;
  });

const httpCheck = z.strictObject({
  app: Identifier,
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  interval: duration(1_000, 3_600_000).default(60_000),
  timeout: duration(100, 120_000).default(10_000),
  /** PEM file of the CA that signs the application's certificate (a trust's own CA). */
  caFile: z.string().optional(),
});
const tcpCheck = z.strictObject({
  app: Identifier,
  tcp: z.string().regex(/^[^\s:]+:[0-9]{1,5}$/, 'must be host:port'),
  interval: duration(1_000, 3_600_000).default(60_000),
  timeout: duration(100, 120_000).default(10_000),
});

/** Name resolution: reported as a network probe (target, round trip, loss 100 % when it fails). */
const dnsCheck = z.strictObject({
  dns: z.string().min(1).max(253),
  /** The probe's name in the telemetry (default "dns"). */
  target: Identifier.default('dns'),
  /** Ask these DNS servers directly (bypassing the hosts file and caches); default the OS resolver. */
  servers: z.array(z.string().min(1)).optional(),
  interval: duration(1_000, 3_600_000).default(60_000),
  timeout: duration(100, 120_000).default(10_000),
});

type CheckConfig = z.output<typeof httpCheck> | z.output<typeof tcpCheck> | z.output<typeof dnsCheck>;

/** An HTTP check when it has a url, TCP when it has tcp, DNS when it has dns: errors then name the right fields. */
const check = z.unknown().transform((value, ctx): CheckConfig => {
  const has = (key: string) => value !== null && typeof value === 'object' && key in value;
  const schema = has('tcp') ? tcpCheck : has('dns') ? dnsCheck : httpCheck;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
  return z.NEVER;
});

const AgentConfigSchema = z.strictObject({
  /** Where this workstation is. The device id defaults to the host name. */
  identity: z.strictObject({
    trust: Identifier,
    site: Identifier,
    ward: Identifier,
    device: Identifier.optional(),
  }),
  /** The trust-held key for pseudonymising user ids: a file holding it, or an environment variable. */
  pseudonymisation: z
    .strictObject({
      keyFile: z.string().optional(),
      keyEnv: z.string().default('WARDWATCH_AGENT_KEY'),
    })
    .default({ keyEnv: 'WARDWATCH_AGENT_KEY' }),
  delivery: z
    .strictObject({
      /** The ingest gateway: the server's POST /api/ingest. */
      http: z
        .strictObject({
          url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
          token: z.string().min(1).optional(),
          tokenFile: z.string().optional(),
          caFile: z.string().optional(),
        })
        .optional(),
      /** Straight to Kafka, where the workstation can reach the brokers. */
      kafka: z
        .strictObject({
          brokers: z.array(z.string().regex(/^[^\s:]+:[0-9]{1,5}$/, 'must be host:port')).min(1),
          topicPrefix: z.string().default('wardwatch'),
          clientId: z.string().default('wardwatch-agent'),
        })
        .optional(),
      flushInterval: duration(1_000, 3_600_000).default(15_000),
      maxBatch: z.number().int().min(1).max(5000).default(500),
    })
    .refine((d) => (d.http ? 1 : 0) + (d.kafka ? 1 : 0) === 1, { message: 'set exactly one of delivery.http or delivery.kafka' }),
  spool: z
    .strictObject({
      dir: z.string().optional(),
      maxBytes: bytes(1024 * 1024).default(64 * 1024 * 1024),
      maxAge: duration(60_000, 90 * 86_400_000).default(7 * 86_400_000),
    })
    .default({ maxBytes: 64 * 1024 * 1024, maxAge: 7 * 86_400_000 }),
  checks: z.array(check).default([]),
  collect: z
    .strictObject({
      logon: z.strictObject({ enabled: z.boolean().default(true), interval: duration(10_000, 3_600_000).default(60_000) }).default({ enabled: true, interval: 60_000 }),
      wifi: z
        .strictObject({ enabled: z.boolean().default(true), interval: duration(1_000, 3_600_000).default(60_000), interface: z.string().optional() })
        .default({ enabled: true, interval: 60_000 }),
      health: z.strictObject({ enabled: z.boolean().default(true), interval: duration(1_000, 3_600_000).default(300_000) }).default({ enabled: true, interval: 300_000 }),
    })
    .default({ logon: { enabled: true, interval: 60_000 }, wifi: { enabled: true, interval: 60_000 }, health: { enabled: true, interval: 300_000 } }),
  /** The loopback mark API that login scripts call to time clinical application logons. */
  marks: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(47600),
      expireAfter: duration(10_000, 86_400_000).default(600_000),
    })
    .default({ port: 47600, expireAfter: 600_000 }),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).default({ level: 'info' }),
});

export type AgentConfig = z.output<typeof AgentConfigSchema> & {
  identity: { device: string };
  spool: { dir: string };
};
export type HttpCheckConfig = z.output<typeof httpCheck>;
export type TcpCheckConfig = z.output<typeof tcpCheck>;
export type DnsCheckConfig = z.output<typeof dnsCheck>;

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    super(`${source ? `${source}: ` : ''}invalid agent configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

export interface ParseOptions {
  /** File the text came from: labels errors and anchors relative paths. */
  source?: string;
  /** Default spool directory when the file names none. */
  defaultSpoolDir?: string;
}

/** Parses and validates agent YAML; relative paths in it are relative to the file. */
export function parseAgentConfig(text: string, options: ParseOptions = {}): AgentConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new AgentConfigError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), options.source);
  const raw: unknown = document.toJS() ?? {};
  // The ingest token is a secret: say that it is wrong, never what it is.
  const result = parseConfig(AgentConfigSchema, raw, { secret: (path) => path.includes('token') });
  if (!result.ok) throw new AgentConfigError(result.problems, options.source);
  const base = options.source ? dirname(resolve(options.source)) : process.cwd();
  const at = (path: string | undefined) => (path === undefined ? undefined : isAbsolute(path) ? path : resolve(base, path));
  const config = result.value;
  const device = config.identity.device ?? hostname().replace(/[^A-Za-z0-9._:\-/]/g, '-');
  const spoolDir = at(config.spool.dir) ?? options.defaultSpoolDir ?? resolve(base, 'wardwatch-agent-spool');
  return {
    ...config,
    identity: { ...config.identity, device },
    pseudonymisation: { ...config.pseudonymisation, keyFile: at(config.pseudonymisation.keyFile) },
    delivery: {
      ...config.delivery,
      http: config.delivery.http && { ...config.delivery.http, tokenFile: at(config.delivery.http.tokenFile), caFile: at(config.delivery.http.caFile) },
    },
    spool: { ...config.spool, dir: spoolDir },
    checks: config.checks.map((check) => ('url' in check ? { ...check, caFile: at(check.caFile) } : check)),
  } as AgentConfig;
}

export function loadAgentConfig(path: string, options: Omit<ParseOptions, 'source'> = {}): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgentConfigError([`cannot read the file (${(error as Error).message}); check the path`], path);
  }
  return parseAgentConfig(text, { ...options, source: path });
}
