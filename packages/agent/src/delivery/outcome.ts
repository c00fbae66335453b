// What a sender reports about one batch, whatever it sent over (HTTP ingest or Kafka). The
// forwarder decides from it alone whether to acknowledge, retry, split or hold the batch.
import type { TelemetryEvent } from '@wardwatch/schema';

/** An event the receiver refused for good (it can never succeed): dropped and counted, never retried. */
export interface Rejection {
  /** Zero-based position in the batch that was sent. */
  index: number;
  reason: string;
  message: string;
}

export type SendOutcome =
  /** The receiver has the batch: acknowledge it. `rejections` lists the events it refused permanently. */
  | { kind: 'delivered'; accepted: number; rejections: Rejection[] }
  /** Nothing is known to be delivered and trying again later can help (network, timeout, 408, 429, 5xx). */
  | { kind: 'retryable'; error: string; status?: number; retryAfterMs?: number }
  /** The body is too big for the receiver (413): send smaller batches. */
  | { kind: 'too-large'; error: string; status?: number }
  /**
   * The receiver refuses the batch for a reason retrying cannot fix by itself (401/403: the device
   * token; other 4xx: configuration). The records are kept; an operator has to act.
   */
  | { kind: 'fatal'; error: string; status?: number; reason: 'auth' | 'config' };

export interface Sender {
  /** Human-readable destination, for logs. */
  readonly destination: string;
  /** Sends one batch; never rejects (failures are outcomes). `signal` abandons the attempt. */
  send(events: readonly TelemetryEvent[], signal?: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}
