// The one interface every alert channel implements, and the error they all throw.
import type { Notification } from '../alert-book.ts';

export interface Notifier {
  /** Names the channel in logs and errors ("teams", "oncall-webhook"). */
  readonly name: string;
  /** Delivers one notification, retrying transient failures; rejects with a NotifierError. */
  send(notification: Notification): Promise<void>;
}

export type NotifierErrorCode = 'NETWORK' | 'HTTP_STATUS' | 'SMTP';

export class NotifierError extends Error {
  override readonly name = 'NotifierError';
  readonly code: NotifierErrorCode;
  /** Whether trying again later can help (receiver down, 5xx, 429, SMTP 4xx) or not (4xx: fix the configuration). */
  readonly retriable: boolean;
  /** HTTP status or SMTP reply code, when the receiver answered. */
  readonly status?: number;
  /** The receiver's Retry-After, in ms. */
  readonly retryAfterMs?: number;

  constructor(message: string, details: { code: NotifierErrorCode; retriable: boolean; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.code = details.code;
    this.retriable = details.retriable;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}
