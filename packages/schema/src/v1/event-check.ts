// A hand-written check for the events that are plainly valid, on the per-event path before the
// compiled JSON Schema. It answers only "valid" or "ask the full validator": every event it passes,
// the compiled schema (and zod) accept too; anything it is unsure of — an unknown field, an id short
// enough that code points and UTF-16 units could disagree, a field present but undefined — goes to the
// full validator, which gives the verdict and the message, so rejections are exactly as before.
// Written from the v1 contract (envelope.ts, payloads.ts); event-check.test.ts holds it to the
// compiled schema over generated events, valid and not.
import type { TelemetryEvent } from './event.ts';
import { APP_FAILURES, LOGON_PHASES, LOGON_READY_MARKERS } from './payloads.ts';

const IDENTIFIER = /^[A-Za-z0-9._:\-/]+$/;
const BSSID = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const USER = /^[0-9a-f]{16,64}$/;
const DAY_MS = 86_400_000;
const MAX_SKEW_MS = 7 * DAY_MS;
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

// Identifiers are ASCII by their pattern: UTF-16 length and code points agree.
const identifier = (x: unknown): boolean => typeof x === 'string' && x.length >= 1 && x.length <= 128 && IDENTIFIER.test(x);
const duration = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= DAY_MS;
const percent = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 100;
const integer = (x: unknown, min: number, max: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const PHASES = new Set<string>(LOGON_PHASES);
const READY_BY = new Set<string>(LOGON_READY_MARKERS);
const FAILURES = new Set<string>(APP_FAILURES);

/** True only for an event the full validator accepts; false: ask it. */
export function isPlainlyValidEvent(value: unknown): value is TelemetryEvent {
  if (!isObject(value)) return false;
  let required = 0;
  for (const key in value) {
    const x = value[key];
    switch (key) {
      case 'v':
        if (x !== 1) return false;
        break;
      case 'id':
        // 8–64 code points: 16–64 UTF-16 units are that whatever the characters; shorter, ask.
        if (typeof x !== 'string' || x.length < 16 || x.length > 64) return false;
        break;
      case 'seq':
        if (!integer(x, 0, Number.MAX_SAFE_INTEGER)) return false;
        break;
      case 'ts':
        if (!integer(x, MIN_TS, MAX_TS - 1)) return false;
        break;
      case 'trust':
      case 'site':
      case 'ward':
      case 'device':
        if (!identifier(x)) return false;
        break;
      case 'kind':
        break;
      case 'body':
        if (!isObject(x)) return false;
        break;
      case 'ap':
        if (typeof x !== 'string' || !BSSID.test(x)) return false;
        continue;
      case 'buffered':
        if (typeof x !== 'boolean') return false;
        continue;
      case 'skewMs':
        if (!integer(x, -MAX_SKEW_MS, MAX_SKEW_MS)) return false;
        continue;
      default:
        return false;
    }
    required++;
  }
  if (required !== 10) return false;
  const body = value.body as Record<string, unknown>;
  switch (value.kind) {
    case 'app':
      return appBody(body);
    case 'net':
      return netBody(body);
    case 'wifi':
      return wifiBody(body);
    case 'health':
      return healthBody(body);
    case 'logon':
      return logonBody(body);
    default:
      return false;
  }
}

function appBody(body: Record<string, unknown>): boolean {
  let required = 0;
  for (const key in body) {
    const x = body[key];
    switch (key) {
      case 'app':
        if (!identifier(x)) return false;
        required++;
        break;
      case 'ok':
        if (typeof x !== 'boolean') return false;
        required++;
        break;
      case 'totalMs':
        if (!duration(x)) return false;
        required++;
        break;
      case 'status':
        if (!integer(x, 100, 599)) return false;
        break;
      case 'error':
        if (typeof x !== 'string' || !FAILURES.has(x)) return false;
        break;
      case 'dnsMs':
      case 'tcpMs':
      case 'tlsMs':
      case 'ttfbMs':
        if (!duration(x)) return false;
        break;
      case 'source':
        if (x !== 'synthetic' && x !== 'real') return false;
        break;
      default:
        return false;
    }
  }
  return required === 3;
}

function netBody(body: Record<string, unknown>): boolean {
  let required = 0;
  for (const key in body) {
    const x = body[key];
    switch (key) {
      case 'target':
        if (!identifier(x)) return false;
        break;
      case 'rttMs':
        if (!duration(x)) return false;
        break;
      case 'lossPct':
        if (!percent(x)) return false;
        break;
      default:
        return false;
    }
    required++;
  }
  return required === 3;
}

function wifiBody(body: Record<string, unknown>): boolean {
  let required = 0;
  for (const key in body) {
    const x = body[key];
    switch (key) {
      case 'connected':
        if (typeof x !== 'boolean') return false;
        required++;
        break;
      case 'ssid':
        // At most 32 code points: at most 32 UTF-16 units is that; longer, ask.
        if (typeof x !== 'string' || x.length > 32) return false;
        break;
      case 'bssid':
        if (typeof x !== 'string' || !BSSID.test(x)) return false;
        break;
      case 'signalDbm':
        if (typeof x !== 'number' || !(x >= -120 && x <= 0)) return false;
        break;
      case 'signalPct':
        if (!percent(x)) return false;
        break;
      case 'linkMbps':
        if (typeof x !== 'number' || !(x >= 0 && x <= 100_000)) return false;
        break;
      case 'channel':
        if (!integer(x, 1, 233)) return false;
        break;
      default:
        return false;
    }
  }
  return required === 1;
}

function healthBody(body: Record<string, unknown>): boolean {
  let required = 0;
  for (const key in body) {
    const x = body[key];
    switch (key) {
      case 'cpuPct':
      case 'memPct':
      case 'diskFreePct':
        if (!percent(x)) return false;
        required++;
        break;
      case 'uptimeS':
        if (typeof x !== 'number' || !(x >= 0 && x < Infinity)) return false;
        required++;
        break;
      case 'bootMs':
        if (!duration(x)) return false;
        break;
      default:
        return false;
    }
  }
  return required === 4;
}

function logonBody(body: Record<string, unknown>): boolean {
  let required = 0;
  for (const key in body) {
    const x = body[key];
    switch (key) {
      case 'totalMs':
        if (!duration(x)) return false;
        required++;
        break;
      case 'ok':
        if (typeof x !== 'boolean') return false;
        required++;
        break;
      case 'user':
        if (typeof x !== 'string' || !USER.test(x)) return false;
        break;
      case 'readyBy':
        if (typeof x !== 'string' || !READY_BY.has(x)) return false;
        break;
      case 'phases':
        if (!isObject(x)) return false;
        for (const phase in x) if (!PHASES.has(phase) || !duration(x[phase])) return false;
        break;
      default:
        return false;
    }
  }
  return required === 2;
}
