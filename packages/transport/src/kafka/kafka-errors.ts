// What a kafkajs failure means, read from the error's class, its protocol error type and its
// `retriable` flag — never from its message text. kafkajs wraps what its own retrier gives up on:
// KafkaJSNumberOfRetriesExceeded around a retriable error (the broker stayed away while it tried),
// KafkaJSNonRetriableError around one that cannot succeed. The wrapped error is the one that says
// what happened, so the wrappers are looked through; a retriable error underneath still means "try
// again later" to wardwatch, whose callers retry on their own time (the agent's spool, a restart).
import kafkajs from 'kafkajs';
import { isRetriableError } from '@wardwatch/retry';
import { TransportError, type TransportErrorKind } from '../transport.ts';

const { KafkaJSAggregateError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } = kafkajs;

/** Protocol error types that mean the credentials or ACLs were refused. */
const REFUSED = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'DELEGATION_TOKEN_AUTHORIZATION_FAILED',
]);

/** Protocol error types that mean the records (or a batch of them) are bigger than the broker takes. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

export interface KafkaFailure {
  retriable: boolean;
  kind: TransportErrorKind;
  /** The Kafka protocol error type underneath, when there is one (e.g. UNKNOWN_TOPIC_OR_PARTITION). */
  type?: string;
}

/** The error kafkajs' wrappers (retries exceeded, not retriable) stand for. */
function underlying(error: unknown): unknown {
  let at = error;
  for (let depth = 0; depth < 8 && (at instanceof KafkaJSNumberOfRetriesExceeded || at instanceof KafkaJSNonRetriableError); depth++) {
    const cause = (at as { cause?: unknown }).cause;
    if (!(cause instanceof Error) || cause === at) break;
    at = cause;
  }
  return at;
}

const failure = (retriable: boolean, type?: string): KafkaFailure => ({ retriable, kind: retriable ? 'unavailable' : 'misconfigured', ...(type ? { type } : {}) });

/** Classifies an error from kafkajs (or one of ours, which classifies itself). */
export function classifyKafkaError(error: unknown): KafkaFailure {
  if (error instanceof TransportError) return { retriable: error.retriable, kind: error.kind };
  const at = underlying(error);
  if (at instanceof KafkaJSSASLAuthenticationError) return { retriable: false, kind: 'unauthorized' };
  if (at instanceof KafkaJSProtocolError) {
    if (REFUSED.has(at.type)) return { retriable: false, kind: 'unauthorized', type: at.type };
    if (TOO_LARGE.has(at.type)) return { retriable: false, kind: 'too-large', type: at.type };
    return failure(at.retriable, at.type);
  }
  // Connection refused or closed, request timeouts, brokers and metadata not found yet: kafkajs' own
  // classes say whether they are retriable.
  if (at instanceof KafkaJSError) return failure(at.retriable);
  // Several failures at once (e.g. one per broker): worth another try only if each of them is.
  if (at instanceof KafkaJSAggregateError) {
    const parts = at.errors.filter((e): e is Error => e instanceof Error).map(classifyKafkaError);
    const refused = parts.find((p) => !p.retriable);
    return refused ?? failure(parts.length > 0);
  }
  // Not from kafkajs: a socket error code, or a bug (not retried).
  return failure(isRetriableError(at));
}

/** A TransportError saying what `what` ran into, classified; ours pass through unchanged. */
export function transportErrorOf(error: unknown, what: string): TransportError {
  if (error instanceof TransportError) return error;
  const { retriable, kind } = classifyKafkaError(error);
  return new TransportError(`${what}: ${(error as Error).message}`, retriable, { cause: error, kind });
}
