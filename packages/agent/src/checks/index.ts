// Synthetic checks of the workstation agent: HTTP(S), TCP connect and DNS, each with per-phase
// timings and failures classified in the event contract's vocabulary (AppBody in @wardwatch/schema).
export { httpCheck, type HttpCheckTarget } from './http-check.ts';
export { DEFAULT_TIMEOUT_MS } from './timing.ts';
export { tcpCheck, type TcpCheckTarget } from './tcp-check.ts';
export { dnsCheck, systemResolve, serverResolve, type DnsCheckTarget, type DnsResolve } from './dns-check.ts';
export { classifyError } from './classify.ts';
export type { AppCheckResult, AppFailure, DnsCheckResult } from './types.ts';
