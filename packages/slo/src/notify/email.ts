// Email over SMTP (nodemailer). SMTP has its own sense of retriable: 4xx replies are transient,
// 5xx permanent, and connection failures are worth another try.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Notification } from '../alert-book.ts';
import { notificationFacts, notificationText, notificationTitle } from './message.ts';
import { NotifierError, type Notifier } from './notifier.ts';
import { retry, type RetryOptions } from '@wardwatch/retry';

export interface EmailOptions {
  name?: string;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send without STARTTLS (recommended over any network but loopback). */
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string[];
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  dashboardUrl?: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

export function emailContent(n: Notification, dashboardUrl?: string): { subject: string; text: string } {
  const facts = notificationFacts(n).map(([label, value]) => `${label}: ${value}`);
  const lines = [notificationText(n), '', ...facts, `Fingerprint: ${n.alert.fingerprint}`];
  if (dashboardUrl) lines.push('', `Open wardwatch: ${dashboardUrl}`);
  return { subject: notificationTitle(n), text: `${lines.join('\n')}\n` };
}

export class EmailNotifier implements Notifier {
  readonly name: string;
  private readonly transport: Transporter;

  constructor(private readonly options: EmailOptions) {
    if (options.to.length === 0) throw new RangeError('EmailNotifier needs at least one recipient in `to`');
    this.name = options.name ?? 'email';
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTLS ?? false,
      auth: options.auth,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(notification: Notification): Promise<void> {
    const { subject, text } = emailContent(notification, this.options.dashboardUrl);
    await retry(async () => {
      try {
        await this.transport.sendMail({ from: this.options.from, to: this.options.to, subject, text });
      } catch (error) {
        throw this.classify(error);
      }
    }, this.options.retry);
  }

  /**
   * Any other message through the same server, sender and (unless `to` is given) recipients, with
   * the same retries: the monthly evidence pack goes this way.
   */
  async sendMessage(message: { subject: string; text: string; to?: string[]; attachments?: Array<{ filename: string; content: Uint8Array | string; contentType: string }> }): Promise<void> {
    const attachments = message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: typeof a.content === 'string' ? a.content : Buffer.from(a.content) }));
    await retry(async () => {
      try {
        await this.transport.sendMail({ from: this.options.from, to: message.to ?? this.options.to, subject: message.subject, text: message.text, attachments });
      } catch (error) {
        throw this.classify(error);
      }
    }, this.options.retry);
  }

  close(): void {
    this.transport.close();
  }

  private classify(error: unknown): NotifierError {
    const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
    const where = `${this.options.host}:${this.options.port}`;
    if (typeof responseCode === 'number') {
      const retriable = responseCode >= 400 && responseCode < 500;
      return new NotifierError(`${this.name}: SMTP server ${where} replied ${responseCode} (${message}); ${retriable ? 'will retry' : 'check the sender, recipients and credentials'}`, {
        code: 'SMTP',
        retriable,
        status: responseCode,
        cause: error,
      });
    }
    const retriable = code !== undefined && CONNECTION_CODES.has(code);
    return new NotifierError(`${this.name}: cannot send through ${where} (${code ?? message}); check the host, port and TLS settings`, { code: retriable ? 'NETWORK' : 'SMTP', retriable, cause: error });
  }
}
