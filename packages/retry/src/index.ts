// @wardwatch/retry — the project's one retrier: exponential backoff with full jitter, retrying only
// errors that say a later try can succeed. No dependencies, so the agent bundles it for nothing.
export { backoffDelay, type Backoff } from './backoff.ts';
export { retry, isRetriableError, sleep, type RetryOptions } from './retry.ts';
