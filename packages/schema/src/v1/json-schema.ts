// The JSON Schema of the v1 event, generated from the zod definition (never written by hand), and a
// compiled validator for the per-event hot path. zod stays the source of truth and the explainer of
// failures; the compiled JSON Schema is what keeps validation inside the processor's budget.
import { z } from 'zod';
import { Ajv } from 'ajv';
import { TelemetryEvent } from './event.ts';

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
