// A hand-written check for the events that are plainly valid, on the per-event path before the
// compiled JSON Schema. It answers only "valid" or "ask the full validator": every event it passes,
// the compiled schema (and zod) accept too; anything it is unsure of — an unknown field, an id short
// enough that code points and UTF-16 units could disagree, a field present but undefined — goes to the
// full validator, which gives the verdict and the message, so rejections are exactly as before.
// Written from the v1 contract (envelope.ts, payloads.ts); event-check.test.ts holds it to the
// compiled schema over generated events, valid and not.
import type { TelemetryEvent } from './event.ts';
import { MAX_EVENT_TS, MAX_SKEW_MS, MIN_EVENT_TS } from './envelope.ts';
import { APP_FAILURES, LOGON_PHASES, LOGON_READY_MARKERS } from './payloads.ts';

// The contract's patterns (envelope.ts) as character tables: a loop over a short string costs less
// than a regular expression call, five or six of them an event.
const charTable = (chars: string): Uint8Array => {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
};
/** /^[A-Za-z0-9._:\-/]+$/ */
const IDENTIFIER_CHARS = charTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-/');
const HEX_DIGITS = charTable('0123456789abcdef');
const USER = /^[0-9a-f]{16,64}$/;
const DAY_MS = 86_400_000;

// Identifiers are ASCII by their pattern: UTF-16 length and code points agree.
function identifier(x: unknown): boolean {
  if (typeof x !== 'string' || x.length < 1 || x.length > 128) return false;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c >= 128 || IDENTIFIER_CHARS[c] === 0) return false;
  }
  return true;
}
/** /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/: a lower-case BSSID. */
function bssid(x: unknown): boolean {
  if (typeof x !== 'string' || x.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const c = x.charCodeAt(i);
    if (i % 3 === 2 ? c !== 58 : c >= 128 || HEX_DIGITS[c] === 0) return false;
  }
  return true;
}
const duration = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= DAY_MS;
const percent = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 100;
const integer = (x: unknown, min: number, max: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const PHASES = new Set<string>(LOGON_PHASES);
const READY_BY = new Set<string>(LOGON_READY_MARKERS);
const FAILURES = new Set<string>(APP_FAILURES);

/** Own (and inherited) enumerable keys, counted without building an array. */
function keyCount(value: object): number {
  let n = 0;
  for (const _ in value) n++;
  return n;
}

// Fields are read by name, and the keys only counted: reading `value[key]` over every key made the
// loads megamorphic, and the check slower than the schema it stands in front of.

/** True only for an event the full validator accepts; false: ask it. */
export function isPlainlyValidEvent(value: unknown): value is TelemetryEvent {
  if (!isObject(value)) return false;
  const event = value as Partial<Record<string, unknown>>;
  if (
    event.v !== 1 ||
    !integer(event.seq, 0, Number.MAX_SAFE_INTEGER) ||
    !integer(event.ts, MIN_EVENT_TS, MAX_EVENT_TS - 1) ||
    !identifier(event.trust) ||
    !identifier(event.site) ||
    !identifier(event.ward) ||
    !identifier(event.device) ||
    !isObject(event.body)
  ) {
    return false;
  }
  // 8–64 code points: 16–64 UTF-16 units are that whatever the characters; shorter, ask.
  const id = event.id;
  if (typeof id !== 'string' || id.length < 16 || id.length > 64) return false;
  let keys = 10;
  const ap = event.ap;
  if (ap !== undefined) {
    if (!bssid(ap)) return false;
    keys++;
  }
  const buffered = event.buffered;
  if (buffered !== undefined) {
    if (typeof buffered !== 'boolean') return false;
    keys++;
  }
  const skewMs = event.skewMs;
  if (skewMs !== undefined) {
    if (!integer(skewMs, -MAX_SKEW_MS, MAX_SKEW_MS)) return false;
    keys++;
  }
  // A key present but undefined, or one the contract does not have, leaves the counts apart.
  if (keyCount(event) !== keys) return false;
  const body = event.body as Partial<Record<string, unknown>>;
  switch (event.kind) {
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

type Body = Partial<Record<string, unknown>>;

/** Counts an optional duration: 1 when present and valid, 0 when absent, NaN when invalid. */
const optionalDuration = (x: unknown): number => (x === undefined ? 0 : duration(x) ? 1 : NaN);

function appBody(body: Body): boolean {
  if (!identifier(body.app) || typeof body.ok !== 'boolean' || !duration(body.totalMs)) return false;
  let keys = 3 + optionalDuration(body.dnsMs) + optionalDuration(body.tcpMs) + optionalDuration(body.tlsMs) + optionalDuration(body.ttfbMs);
  const status = body.status;
  if (status !== undefined) {
    if (!integer(status, 100, 599)) return false;
    keys++;
  }
  const error = body.error;
  if (error !== undefined) {
    if (typeof error !== 'string' || !FAILURES.has(error)) return false;
    keys++;
  }
  const source = body.source;
  if (source !== undefined) {
    if (source !== 'synthetic' && source !== 'real') return false;
    keys++;
  }
  return keyCount(body) === keys;
}

function netBody(body: Body): boolean {
  return identifier(body.target) && duration(body.rttMs) && percent(body.lossPct) && keyCount(body) === 3;
}

function wifiBody(body: Body): boolean {
  if (typeof body.connected !== 'boolean') return false;
  let keys = 1;
  const ssid = body.ssid;
  if (ssid !== undefined) {
    // At most 32 code points: at most 32 UTF-16 units is that; longer, ask.
    if (typeof ssid !== 'string' || ssid.length > 32) return false;
    keys++;
  }
  const accessPoint = body.bssid;
  if (accessPoint !== undefined) {
    if (!bssid(accessPoint)) return false;
    keys++;
  }
  const signalDbm = body.signalDbm;
  if (signalDbm !== undefined) {
    if (typeof signalDbm !== 'number' || !(signalDbm >= -120 && signalDbm <= 0)) return false;
    keys++;
  }
  const signalPct = body.signalPct;
  if (signalPct !== undefined) {
    if (!percent(signalPct)) return false;
    keys++;
  }
  const linkMbps = body.linkMbps;
  if (linkMbps !== undefined) {
    if (typeof linkMbps !== 'number' || !(linkMbps >= 0 && linkMbps <= 100_000)) return false;
    keys++;
  }
  const channel = body.channel;
  if (channel !== undefined) {
    if (!integer(channel, 1, 233)) return false;
    keys++;
  }
  return keyCount(body) === keys;
}

function healthBody(body: Body): boolean {
  const uptimeS = body.uptimeS;
  if (!percent(body.cpuPct) || !percent(body.memPct) || !percent(body.diskFreePct) || typeof uptimeS !== 'number' || !(uptimeS >= 0 && uptimeS < Infinity)) return false;
  return keyCount(body) === 4 + optionalDuration(body.bootMs);
}

function logonBody(body: Body): boolean {
  if (!duration(body.totalMs) || typeof body.ok !== 'boolean') return false;
  let keys = 2;
  const user = body.user;
  if (user !== undefined) {
    if (typeof user !== 'string' || !USER.test(user)) return false;
    keys++;
  }
  const readyBy = body.readyBy;
  if (readyBy !== undefined) {
    if (typeof readyBy !== 'string' || !READY_BY.has(readyBy)) return false;
    keys++;
  }
  const phases = body.phases;
  if (phases !== undefined) {
    if (!isObject(phases)) return false;
    // Rare (logons only): the keys themselves are checked here.
    for (const phase in phases) if (!PHASES.has(phase) || !duration(phases[phase])) return false;
    keys++;
  }
  return keyCount(body) === keys;
}
