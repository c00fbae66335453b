// POSTs a JSON body to a webhook, turning every failure into a NotifierError that says whether a
// retry can help, and retrying those that can.
import { NotifierError } from './notifier.ts';
import { retry, type RetryOptions } from '@wardwatch/retry';

export interface WebhookOptions {
  url: string;
  /** Extra headers, e.g. Authorization. */
  headers?: Record<string, string>;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
}

export async function postJson(notifier: string, options: WebhookOptions, body: unknown): Promise<void> {
  // Webhook URLs carry their secret in the path (Slack, Teams): errors name the origin only.
  const origin = new URL(options.url).origin;
  const payload = JSON.stringify(body);
  await retry(async () => {
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new NotifierError(`${notifier}: cannot reach ${origin} (${reason}); check the URL and that the receiver is up`, { code: 'NETWORK', retriable: true, cause: error });
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) return;
    const status = response.status;
    const retriable = status >= 500 || status === 429;
    const retryAfterSeconds = Number(response.headers.get('retry-after'));
    throw new NotifierError(
      `${notifier}: ${origin} answered ${status}${answer ? ` (${answer.slice(0, 200)})` : ''}; ${retriable ? 'will retry' : 'check the webhook URL, token and payload format'}`,
      { code: 'HTTP_STATUS', retriable, status, retryAfterMs: Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined },
    );
  }, options.retry);
}
