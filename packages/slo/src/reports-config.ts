// The SLO file's `reports:` list: evidence packs emailed on a schedule through one of the file's email
// notifiers. Validated here with the rest of the file (errors name the field); sent by
// @wardwatch/evidence's MonthlyReportSender.
import { z } from 'zod';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;
const address = z.string({ error: 'must be an email address' }).refine((text) => ADDRESS.test(text.replace(/^.*<([^>]*)>\s*$/, '$1')), {
  error: 'must be an email address such as cio@trust.nhs.uk (or "Name <address>")',
});

export const reportConfigSchema = z.strictObject({
  /** Only "monthly": last month's pack on the first working day of the month (England and Wales). */
  schedule: z.literal('monthly', { error: 'must be "monthly" (the first working day of each month, for the month before)' }).default('monthly'),
  trust: z.string({ error: 'must be the trust id the pack is for, e.g. RXX' }).min(1, { error: 'must not be empty' }),
  /** One site's pack; absent: the whole trust. */
  site: z.string({ error: 'must be a site id' }).min(1, { error: 'must not be empty' }).optional(),
  /** The `name` of an email notifier under notifications: (its server and sender are used). */
  email: z.string({ error: 'must name an email notifier under notifications (its name:)' }).min(1, { error: 'must not be empty' }),
  /** Recipients instead of the notifier's. */
  to: z.array(address, { error: 'must be a list of email addresses' }).min(1, { error: 'must name at least one recipient' }).optional(),
  format: z.enum(['pdf', 'html', 'csv', 'json'], { error: 'must be pdf, html, csv or json' }).default('pdf'),
  /** London time of day, HH:MM. */
  time: z.string({ error: 'must be a time of day as HH:MM' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day as HH:MM (24-hour, London time), e.g. 07:00' }).default('07:00'),
  /** Linked from the message ("Open it in wardwatch"). */
  dashboardUrl: z.url({ protocol: /^https?$/, error: 'must be the dashboard as an http:// or https:// URL' }).optional(),
});

export type ReportConfig = z.output<typeof reportConfigSchema>;

export const reportsSchema = z.array(reportConfigSchema, { error: 'must be a list of reports' });
