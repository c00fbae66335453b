// The evidence settings: targets, volumes, staff costs and mix, baseline, maintenance windows.
// YAML → validated settings, with errors that name the field at fault (as the SLO file does).
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { EvidenceMonth, parseConfig, partFields, partItems } from '@wardwatch/schema';
import { DEFAULT_STAFF_MIX, HOURS_PER_FTE_YEAR, PSSRU_2024_HOURLY, type StaffCosts } from './staff-costs.ts';
import type { AppVolume } from './time-lost.ts';

export class EvidenceConfigError extends Error {
  override readonly name = 'EvidenceConfigError';
  readonly code = 'EVIDENCE_CONFIG_INVALID';
  readonly problems: string[];
  /** `what`: the kind of file at fault, as the message names it (the settings, or the inventory). */
  constructor(problems: string[], source?: string, what: 'evidence configuration' | 'inventory' = 'evidence configuration') {
    super(`${source ? `${source}: ` : ''}invalid ${what} (fix these and re-run):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

const seconds = z.number().positive('must be more than 0 seconds').max(3600, 'must be at most 3600 seconds');
const instant = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be a date and time like 2026-10-04T22:00:00Z' });
    return z.NEVER;
  }
  return ms;
});

const hourlyRate = z.strictObject({ without: z.number().positive(), with: z.number().positive() });

export const evidenceConfigSchema = z
  .strictObject({
    /** The price year the costs are in (printed beside every £ figure). */
    priceYear: z.string().min(1).default('2023/24'),
    hoursPerFteYear: z.number().positive().max(8760).default(HOURS_PER_FTE_YEAR),
    /** Staff group → £ per hour; defaults are the PSSRU 2024 figures, entries here add or replace. */
    hourlyCosts: z.record(z.string(), hourlyRate).default({}),
    /** Staff group → share of the time lost; shares must add up to 1. */
    staffMix: z
      .record(z.string(), z.number().min(0).max(1))
      .default({ ...DEFAULT_STAFF_MIX })
      .refine((mix) => Math.abs(Object.values(mix).reduce((s, v) => s + v, 0) - 1) < 0.001, 'shares must add up to 1'),
    logons: z
      .strictObject({ targetS: seconds.default(30), sensitivityS: z.array(seconds).min(1).default([10, 20, 30]) })
      .default({ targetS: 30, sensitivityS: [10, 20, 30] }),
    applications: z
      .strictObject({
        targetS: seconds.default(2),
        /** Per-application targets, e.g. { pacs: 4 }. */
        targets: z.record(z.string(), seconds).default({}),
        sensitivityS: z.array(seconds).min(1).default([1, 2, 3]),
        screensPerHour: z.number().nonnegative().max(600).default(20),
        checkIntervalS: seconds.default(60),
      })
      .default({ targetS: 2, targets: {}, sensitivityS: [1, 2, 3], screensPerHour: 20, checkIntervalS: 60 }),
    wifi: z.strictObject({ goodDbm: z.number().min(-100).max(-30).default(-70) }).default({ goodDbm: -70 }),
    /** The baseline months (inclusive); absent → the first three full months with data. */
    baseline: z.strictObject({ from: EvidenceMonth, to: EvidenceMonth, label: z.string().optional() }).optional(),
    minDevices: z.number().int().min(1).default(5),
    /** Periods left out of every figure (planned maintenance). */
    maintenance: z.array(z.strictObject({ from: instant, to: instant, label: z.string().default('maintenance') })).default([]),
    /** Months of trend, this one included (at most 13). */
    trendMonths: z.number().int().min(1).max(13).default(13),
  })
  // Run beside the fields' own issues (`when`), so one reading of the file lists every problem: the
  // value may then be part-parsed, so each check reads only what has the shape it needs.
  .superRefine(
    (config: Partial<Record<string, unknown>>, ctx) => {
      const staffMix = partFields(config.staffMix);
      const hourlyCosts = partFields(config.hourlyCosts);
      for (const group of Object.keys(staffMix)) {
        if (!(group in PSSRU_2024_HOURLY) && !(group in hourlyCosts)) {
          ctx.addIssue({ code: 'custom', path: ['staffMix', group], message: `no hourly cost for "${group}"; add it under hourlyCosts or use one of ${Object.keys(PSSRU_2024_HOURLY).join(', ')}` });
        }
      }
      partItems(config.maintenance).forEach((item, i) => {
        const w = partFields(item);
        if (typeof w.from === 'number' && typeof w.to === 'number' && !(w.to > w.from)) ctx.addIssue({ code: 'custom', path: ['maintenance', i, 'to'], message: 'must be after from' });
      });
      const baseline = partFields(config.baseline);
      if (typeof baseline.from === 'string' && typeof baseline.to === 'string' && baseline.to < baseline.from) ctx.addIssue({ code: 'custom', path: ['baseline', 'to'], message: 'must not be before baseline.from' });
    },
    { when: () => true },
  );

export type EvidenceConfig = z.output<typeof evidenceConfigSchema>;

export const DEFAULT_EVIDENCE_CONFIG: EvidenceConfig = evidenceConfigSchema.parse({});

/** Parses and validates evidence YAML; `source` (a file name) only labels errors. */
export function parseEvidenceConfig(text: string, source?: string): EvidenceConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new EvidenceConfigError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  const raw: unknown = document.toJS() ?? {};
  const result = parseConfig(evidenceConfigSchema, raw);
  if (!result.ok) throw new EvidenceConfigError(result.problems, source);
  return result.value;
}

export function loadEvidenceConfig(path: string): EvidenceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EvidenceConfigError([`cannot read the file (${(error as Error).message}); check the path`], path);
  }
  return parseEvidenceConfig(text, path);
}

export function staffCostsOf(config: EvidenceConfig): StaffCosts {
  return { mix: config.staffMix, hourly: { ...PSSRU_2024_HOURLY, ...config.hourlyCosts }, hoursPerFteYear: config.hoursPerFteYear, priceYear: config.priceYear };
}

export function appVolumeOf(config: EvidenceConfig): AppVolume {
  return { screensPerHour: config.applications.screensPerHour, checkIntervalS: config.applications.checkIntervalS };
}
