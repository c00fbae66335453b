// The telemetry event: envelope plus exactly one payload, discriminated by `kind`.
import { z } from 'zod';
import { envelopeShape } from './envelope.ts';
import { AppBody, HealthBody, LogonBody, NetBody, WifiBody } from './payloads.ts';

export const LogonEvent = z.strictObject({ ...envelopeShape, kind: z.literal('logon'), body: LogonBody });
export const AppEvent = z.strictObject({ ...envelopeShape, kind: z.literal('app'), body: AppBody });
export const NetEvent = z.strictObject({ ...envelopeShape, kind: z.literal('net'), body: NetBody });
export const WifiEvent = z.strictObject({ ...envelopeShape, kind: z.literal('wifi'), body: WifiBody });
export const HealthEvent = z.strictObject({ ...envelopeShape, kind: z.literal('health'), body: HealthBody });

export const TelemetryEvent = z.discriminatedUnion('kind', [LogonEvent, AppEvent, NetEvent, WifiEvent, HealthEvent]);

export type TelemetryEvent = z.infer<typeof TelemetryEvent>;
export type LogonEvent = z.infer<typeof LogonEvent>;
export type AppEvent = z.infer<typeof AppEvent>;
export type NetEvent = z.infer<typeof NetEvent>;
export type WifiEvent = z.infer<typeof WifiEvent>;
export type HealthEvent = z.infer<typeof HealthEvent>;
export type EventKind = TelemetryEvent['kind'];
export const EVENT_KINDS = ['logon', 'app', 'net', 'wifi', 'health'] as const satisfies readonly EventKind[];
