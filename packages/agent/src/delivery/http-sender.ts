// Sends batches to the server's POST /api/ingest with the device's token and classifies the answer:
//   202 (or any 2xx)  delivered; the listed rejections are permanent (never retried)
//   400 with an ingest result and accepted = 0   delivered, every event rejected (none was valid)
//   413               too-large: the forwarder splits the batch
//   401, 403          fatal (auth): the token is wrong or revoked; the records are kept
//   408, 429, 5xx     retryable, honouring Retry-After (seconds or an HTTP date)
//   other 3xx/4xx     fatal (config): wrong URL or a proxy in the way; the records are kept
//   network error, timeout, abort   retryable
// Each request carries `Wardwatch-Sent-At`, the device's clock when it was sent, so that the server can
// measure how far this clock is out and move the batch's times onto its own.
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import { SENT_AT_HEADER, type TelemetryEvent } from '@wardwatch/schema';
import type { Rejection, SendOutcome, Sender } from './outcome.ts';

export interface HttpSenderOptions {
  /** Full ingest URL, e.g. https://wardwatch.example.nhs.uk/api/ingest. */
  url: string | URL;
  /** Per-device token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Whole-request deadline: connect, send, answer (default 30 s). */
  timeoutMs?: number;
  /** TLS options for https URLs (a private CA, a client certificate). */
  tls?: Pick<HttpsAgentOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
  userAgent?: string;
  /** The device's clock: stamps Wardwatch-Sent-At, and reads Retry-After given as an HTTP date (default Date.now). */
  clock?: () => number;
  /** Longest Retry-After honoured (default 1 hour); a longer one is treated as this. */
  maxRetryAfterMs?: number;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Parses Retry-After: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function readRejections(body: unknown, batchSize: number): Rejection[] {
  const list = (body as { rejections?: unknown } | null)?.rejections;
  if (!Array.isArray(list)) return [];
  const out: Rejection[] = [];
  const seen = new Set<number>();
  for (const item of list) {
    const index = (item as { index?: unknown })?.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batchSize || seen.has(index)) continue;
    seen.add(index);
    out.push({
      index,
      reason: String((item as { reason?: unknown }).reason ?? 'rejected'),
      message: String((item as { message?: unknown }).message ?? ''),
    });
  }
  return out;
}

function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { cause?: unknown };
  const code = e?.code ? `${e.code}: ` : '';
  return `${code}${e?.message ?? String(error)}`;
}

export class HttpSender implements Sender {
  readonly destination: string;
  private readonly url: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly maxRetryAfterMs: number;

  constructor(private readonly options: HttpSenderOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`the ingest URL must be http: or https:, got ${this.url.protocol}`);
    }
    if (!options.token) throw new Error('the ingest token is empty: every device needs its own token');
    this.destination = `${this.url.origin}${this.url.pathname}`;
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ...options.tls })
        : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 3_600_000;
  }

  async send(events: readonly TelemetryEvent[], signal?: AbortSignal): Promise<SendOutcome> {
    const body = Buffer.from(JSON.stringify(events), 'utf8');
    let response: { status: number; headers: IncomingMessage['headers']; text: string };
    try {
      response = await this.post(body, signal);
    } catch (error) {
      return { kind: 'retryable', error: `POST ${this.destination} failed: ${describeError(error)}` };
    }
    const { status, text } = response;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const serverSays = (json as { error?: unknown } | undefined)?.error;
    const detail = typeof serverSays === 'string' ? `: ${serverSays}` : '';
    if (status >= 200 && status < 300) {
      const rejections = readRejections(json, events.length);
      const accepted = typeof (json as { accepted?: unknown })?.accepted === 'number' ? (json as { accepted: number }).accepted : events.length - rejections.length;
      return { kind: 'delivered', accepted, rejections };
    }
    if (status === 400) {
      const result = json as { accepted?: unknown; rejected?: unknown } | undefined;
      if (result && result.accepted === 0 && result.rejected === events.length) {
        // Nothing in the batch was valid: every event is refused for good.
        const listed = readRejections(json, events.length);
        const byIndex = new Map(listed.map((r) => [r.index, r]));
        const rejections = events.map((_, index) => byIndex.get(index) ?? { index, reason: 'rejected', message: `refused by the server${detail}` });
        return { kind: 'delivered', accepted: 0, rejections };
      }
      return { kind: 'fatal', reason: 'config', status, error: `POST ${this.destination} answered 400${detail}` };
    }
    if (status === 413) return { kind: 'too-large', status, error: `POST ${this.destination} answered 413 for ${body.length} bytes${detail}` };
    if (status === 401 || status === 403) {
      return {
        kind: 'fatal',
        reason: 'auth',
        status,
        error: `POST ${this.destination} answered ${status}: the server refuses this device's token (check the agent's ingest token); records are kept until it is fixed${detail}`,
      };
    }
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfter = parseRetryAfter(headerValue(response.headers['retry-after']), this.clock());
      return {
        kind: 'retryable',
        status,
        error: `POST ${this.destination} answered ${status}${detail}`,
        ...(retryAfter !== undefined ? { retryAfterMs: Math.min(retryAfter, this.maxRetryAfterMs) } : {}),
      };
    }
    return { kind: 'fatal', reason: 'config', status, error: `POST ${this.destination} answered ${status} (check the ingest URL)${detail}` };
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private post(body: Buffer, signal?: AbortSignal): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new Error('abandoned before sending'));
        return;
      }
      const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${this.options.token}`,
          // Stamped per attempt, not per batch: a retry an hour later must not look like a slow clock.
          [SENT_AT_HEADER]: String(Math.round(this.clock())),
          'user-agent': this.options.userAgent ?? 'wardwatch-agent',
        },
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      const onAbort = () => req.destroy(new Error('abandoned (the agent is stopping)'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.on('error', (error) => {
        done();
        reject(error);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('error', (error) => {
          done();
          reject(error);
        });
        res.on('close', () => {
          if (!res.complete) {
            done();
            reject(new Error('the connection closed before the whole answer arrived'));
          }
        });
        res.on('end', () => {
          done();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
