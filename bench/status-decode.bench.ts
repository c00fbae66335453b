// Reading the status topic: every status a server or the embedded board reads goes through
// decodeStatusRecord (the compiled schema first, zod for what it refuses). Over the statuses a processor
// publishes for the default demo's estate (seed 1, 20 simulated minutes, statuses every second), CPU a
// status for: JSON.parse alone, decodeStatusRecord, and JSON.parse + ScopeStatus.safeParse (zod alone,
// how statuses were read before 2026-12-05) — the three in turn in each round, best of five rounds.
import { decodeStatusRecord, ScopeStatus } from '@wardwatch/schema';
import { StreamProcessor } from '@wardwatch/processor';
import { buildEstate, Simulator } from '@wardwatch/simulator';

export interface StatusDecodeResult {
  statuses: number;
  /** µs a status, best round. */
  parseUs: number;
  decodeUs: number;
  zodUs: number;
}

export function statusDecodeBench(): StatusDecodeResult {
  const start = Date.UTC(2026, 11, 1, 10, 0, 0);
  const simulator = new Simulator({ estate: buildEstate({ seed: 1 }), seed: 1 });
  const processor = new StreamProcessor({ statusIntervalMs: 1_000 });
  const texts: string[] = [];
  for (let t = start; t < start + 20 * 60_000; t += 1_000) {
    for (const event of simulator.generate(t, t + 1_000)) processor.add(event);
    for (const status of processor.liveTo(t + 1_000).statuses) texts.push(JSON.stringify(status));
  }
  const time = (read: (text: string) => unknown): number => {
    const t0 = process.cpuUsage();
    for (const text of texts) if (!read(text)) throw new Error('a published status was refused');
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / texts.length;
  };
  const best = { parseUs: Infinity, decodeUs: Infinity, zodUs: Infinity };
  for (let round = 0; round < 5; round++) {
    best.parseUs = Math.min(best.parseUs, time((text) => JSON.parse(text)));
    best.decodeUs = Math.min(best.decodeUs, time((text) => decodeStatusRecord(text).ok));
    best.zodUs = Math.min(best.zodUs, time((text) => ScopeStatus.safeParse(JSON.parse(text)).success));
  }
  return { statuses: texts.length, ...best };
}
