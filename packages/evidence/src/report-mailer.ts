// The monthly email: last month's evidence pack sent on the first working day of each month (see
// report-schedule.ts) through a mailbox — the SLO file's SMTP notifier. `tick(now)` does the work
// with the time passed in; `start()` only sets the timers that call it.
import { evidenceHours, evidencePoundsRange, type EvidencePack } from '@wardwatch/schema';
import type { PackRequest } from './pack-inputs.ts';
import { monthName } from './months.ts';
import { ChromiumMissingError } from './render/pdf.ts';
import { CONTENT_TYPES, renderPack, type ReportFormat } from './render/index.ts';
import { nextReportDue, type ReportDue } from './report-schedule.ts';

export interface ReportAttachment {
  filename: string;
  content: Uint8Array | string;
  contentType: string;
}

export interface ReportMessage {
  subject: string;
  text: string;
  attachments: ReportAttachment[];
}

/** Where the message goes: the SMTP notifier (EmailNotifier.sendMessage) or a test's inbox. */
export interface ReportMailbox {
  readonly name: string;
  sendMessage(message: ReportMessage): Promise<void>;
}

export interface MonthlyReportOptions {
  trust: string;
  site?: string;
  /** Attached format (default pdf; html when Chromium is missing). */
  format?: Extract<ReportFormat, 'pdf' | 'html' | 'csv' | 'json'>;
  /** London time of day to send, HH:MM (default 07:00). */
  time?: string;
  mailbox: ReportMailbox;
  /** Reads the store and builds the pack (loadPackInputs + buildEvidencePack). */
  build: (request: PackRequest) => Promise<EvidencePack>;
  /** Default renderPack. */
  render?: (pack: EvidencePack, format: ReportFormat) => Promise<Uint8Array | string>;
  dashboardUrl?: string;
  /** A failed send is tried again after this long, until a day after it was due (default 1 h). */
  retryMs?: number;
  onSent?: (due: ReportDue, message: ReportMessage) => void;
  onError?: (error: unknown, due: ReportDue) => void;
}

const DAY = 86_400_000;
/** setTimeout's longest delay; a month is longer, so waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class MonthlyReportSender {
  private due: ReportDue;
  /** When to try next: the due time, or a retry after a failure. */
  private attemptAt: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MonthlyReportOptions, now: number) {
    this.due = nextReportDue(now, options.time);
    this.attemptAt = this.due.at;
  }

  /** The next send planned. */
  get next(): ReportDue {
    return this.due;
  }

  /** Sends the pack when a send is due at `now`; resolves with what was sent, or undefined. */
  async tick(now: number): Promise<ReportMessage | undefined> {
    if (now < this.attemptAt) return undefined;
    const due = this.due;
    try {
      const message = await this.compose(due);
      await this.options.mailbox.sendMessage(message);
      this.options.onSent?.(due, message);
      this.advance(now);
      return message;
    } catch (error) {
      this.options.onError?.(error, due);
      const retry = now + (this.options.retryMs ?? 3_600_000);
      // A day late is too late: the next month's send is the next try.
      if (retry < due.at + DAY) this.attemptAt = retry;
      else this.advance(now);
      return undefined;
    }
  }

  /** Runs on the wall clock: a timer for the next attempt, chained. */
  start(clock: () => number = Date.now): void {
    const arm = () => {
      const wait = Math.max(0, Math.min(this.attemptAt - clock(), MAX_TIMER_MS));
      this.timer = setTimeout(() => {
        this.running = this.tick(clock()).finally(arm);
      }, wait);
      this.timer.unref();
    };
    arm();
  }

  /** Stops the timers; waits for a send under way. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const running = this.running;
    this.start = () => undefined;
    await running.catch(() => undefined);
    clearTimeout(this.timer);
  }

  private advance(now: number): void {
    this.due = nextReportDue(Math.max(now, this.due.at), this.options.time);
    this.attemptAt = this.due.at;
  }

  private async compose(due: ReportDue): Promise<ReportMessage> {
    const { trust, site } = this.options;
    const pack = await this.options.build({ trust, ...(site ? { site } : {}), month: due.month });
    const render = this.options.render ?? renderPack;
    let format: ReportFormat = this.options.format ?? 'pdf';
    let note: string | undefined;
    let content: Uint8Array | string;
    try {
      content = await render(pack, format);
    } catch (error) {
      if (!(error instanceof ChromiumMissingError) || format !== 'pdf') throw error;
      // Better the pack as a web page than no pack: say why.
      note = `The PDF could not be printed (${error.message}); the pack is attached as a web page instead.`;
      format = 'html';
      content = await render(pack, format);
    }
    const t = pack.summary.timeLost;
    const name = monthName(due.month);
    const lines = [
      `${pack.title}`,
      '',
      ...pack.summary.headline,
      '',
      `Staff time lost: ${evidenceHours(t.hours)} hours (${t.fte.toFixed(2)} FTE), ${evidencePoundsRange(t.cost)} at ${pack.priceYear} prices.`,
      ...(note ? ['', note] : []),
      ...(this.options.dashboardUrl ? ['', `Open it in wardwatch: ${this.options.dashboardUrl.replace(/\/$/, '')}/#/evidence/${due.month}`] : []),
      '',
      `Sent by wardwatch on the first working day of the month (${due.date}).`,
    ];
    const scope = site ? `${trust}-${site}` : trust;
    return {
      subject: `Evidence pack for ${name}: ${site ? `site ${site}, ` : ''}${trust}`,
      text: `${lines.join('\n')}\n`,
      attachments: [{ filename: `wardwatch-evidence-${scope}-${due.month}.${format}`, content, contentType: CONTENT_TYPES[format] }],
    };
  }
}
