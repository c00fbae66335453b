// The SLO file's `reports:` wired up: for each, a MonthlyReportSender that builds last month's evidence
// pack from the store and emails it through the named email notifier on the first working day.
import type { Logger } from 'pino';
import { buildEvidencePack, DEFAULT_EVIDENCE_CONFIG, loadPackInputs, MonthlyReportSender, type EstateDirectory, type EvidenceConfig } from '@wardwatch/evidence';
import { EmailNotifier, type Notifier, type ReportConfig } from '@wardwatch/slo';
import type { StatusThresholds } from '@wardwatch/processor';
import type { AnnotationStore, RollupStore } from '@wardwatch/store';
import { WARDWATCH_VERSION } from './version.ts';


export interface MonthlyReportsOptions {
  reports: readonly ReportConfig[];
  /** The notifiers made from the same file: reports send through the email ones, by name. */
  notifiers: readonly Notifier[];
  store: RollupStore & AnnotationStore;
  log: Logger;
  config?: EvidenceConfig;
  /** The processor's status thresholds, which the pack's method names (default: the processor's defaults). */
  thresholds?: StatusThresholds;
  /** Where sites belong (default: what the store has). */
  directory?: () => EstateDirectory;
  /** Wall clock (default Date.now): emails go out in real time, whatever a demo's simulated clock says. */
  clock?: () => number;
}

export interface MonthlyReports {
  senders: MonthlyReportSender[];
  stop(): Promise<void>;
}

const STORE_DIRECTORY: EstateDirectory = { source: 'store (sites with data)', sites: [], devices: [], accessPoints: [] };

export function startMonthlyReports(options: MonthlyReportsOptions): MonthlyReports {
  const clock = options.clock ?? Date.now;
  const config = options.config ?? DEFAULT_EVIDENCE_CONFIG;
  const senders = options.reports.map((report) => {
    // The SLO file's validation has checked that the name is one of its email notifiers.
    const email = options.notifiers.find((n): n is EmailNotifier => n instanceof EmailNotifier && n.name === report.email);
    if (!email) throw new Error(`reports: no email notifier named "${report.email}"`);
    const sender = new MonthlyReportSender(
      {
        trust: report.trust,
        ...(report.site ? { site: report.site } : {}),
        format: report.format,
        time: report.time,
        ...(report.dashboardUrl ? { dashboardUrl: report.dashboardUrl } : {}),
        mailbox: { name: email.name, sendMessage: (message) => email.sendMessage({ ...message, ...(report.to ? { to: report.to } : {}) }) },
        build: async (request) => {
          const directory = options.directory?.() ?? STORE_DIRECTORY;
          return buildEvidencePack(await loadPackInputs(options.store, request, { config, directory, softwareVersion: WARDWATCH_VERSION, now: clock() }), config, options.thresholds);
        },
        onSent: (due, message) => options.log.info({ trust: report.trust, site: report.site, month: due.month, email: email.name, attachment: message.attachments[0]?.filename }, 'monthly evidence pack sent'),
        onError: (error, due) => options.log.warn({ err: error, trust: report.trust, site: report.site, month: due.month, email: email.name }, 'sending the monthly evidence pack failed; trying again in an hour'),
      },
      clock(),
    );
    sender.start(clock);
    options.log.info({ trust: report.trust, site: report.site, next: new Date(sender.next.at).toISOString(), month: sender.next.month }, 'monthly evidence pack scheduled');
    return sender;
  });
  return {
    senders,
    async stop() {
      await Promise.all(senders.map((s) => s.stop()));
    },
  };
}
