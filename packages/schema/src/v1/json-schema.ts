// The JSON Schema of the v1 event, generated from the zod definition (never written by hand), and a
// compiled validator for the per-event hot path. zod stays the source of truth and the explainer of
// failures; the compiled JSON Schema is what keeps validation inside the processor's budget.
import { z } from 'zod';
import { Ajv } from 'ajv';
import { TelemetryEvent } from './event.ts';
import { ScopeStatus } from './status.ts';

export function telemetryEventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TelemetryEvent, { target: 'draft-07' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://wardwatch.dev/schema/telemetry-event.v1.json',
    title: 'wardwatch telemetry event, v1',
    type: 'object',
    required: ['kind'],
    // Dispatch on `kind` instead of trying every branch of the oneOf.
    discriminator: { propertyName: 'kind' },
  };
}

const ajv = new Ajv({ strict: false, discriminator: true, unicodeRegExp: false, allErrors: false });

/** True when the value is a valid v1 event. Same verdicts as TelemetryEvent.safeParse, faster. */
export const isTelemetryEvent = ajv.compile(telemetryEventJsonSchema()) as (value: unknown) => value is TelemetryEvent;

// Statuses drop the fields a newer writer adds (as ScopeStatus.parse does), in place.
const stripping = new Ajv({ strict: false, removeAdditional: 'all', unicodeRegExp: false, allErrors: false });

/**
 * True when the value is a valid v1 scope status, with any field the contract does not name removed
 * from it (and from its figures and cause): the value is then what ScopeStatus.parse would give, and is
 * kept rather than copied. Every reader of the status topic reads every status through it.
 */
export const isScopeStatus = stripping.compile(z.toJSONSchema(ScopeStatus, { target: 'draft-07' }) as Record<string, unknown>) as (value: unknown) => value is ScopeStatus;
