// Silences and maintenance windows: by scope matcher and time range they suppress notifications;
// the alerts themselves are still recorded (and carry `silencedBy`).
import { z } from 'zod';
import { SEVERITIES, type Severity } from './definition.ts';

import type { Silence, SilenceMatchers } from '@wardwatch/schema';
export type { Silence, SilenceMatchers };

export const silenceSchema = z
  .strictObject({
    id: z.string().min(1, { error: 'must be a non-empty id' }),
    kind: z.enum(['silence', 'maintenance'], { error: 'must be "silence" or "maintenance"' }).default('silence'),
    matchers: z
      .strictObject({
        slo: z.string().min(1).optional(),
        scope: z.string().min(1).optional(),
        severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
      })
      .default({}),
    startsAt: z.number({ error: 'must be epoch milliseconds' }).int(),
    endsAt: z.number({ error: 'must be epoch milliseconds' }).int(),
    comment: z.string().default(''),
    createdBy: z.string().default(''),
  })
  .refine((s) => s.endsAt > s.startsAt, { path: ['endsAt'], error: 'must be after startsAt' });

/** Validates a silence from the API; throws a ZodError naming the field at fault. */
export function parseSilence(input: unknown): Silence {
  return silenceSchema.parse(input);
}

export function scopeMatches(pattern: string, scope: string): boolean {
  return pattern.endsWith('*') ? scope.startsWith(pattern.slice(0, -1)) : pattern === scope;
}

export function silenceApplies(silence: Silence, alert: { slo: string; scope: string; severity: Severity }, now: number): boolean {
  if (now < silence.startsAt || now >= silence.endsAt) return false;
  const m = silence.matchers;
  return (m.slo === undefined || m.slo === alert.slo) && (m.scope === undefined || scopeMatches(m.scope, alert.scope)) && (m.severity === undefined || m.severity === alert.severity);
}
