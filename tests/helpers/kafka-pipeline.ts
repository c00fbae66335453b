// Helpers for the Kafka flows: unique topic prefixes and stores per test, a known set of events,
// and the totals the store must reconcile to.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { TelemetryEvent } from '@wardwatch/schema';
import { buildEstate, Simulator } from '@wardwatch/simulator';
import { openStore, type RollupStore } from '@wardwatch/store';
import type { KafkaArgs } from '@wardwatch/cli';

export const BROKERS = (process.env.WARDWATCH_TEST_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
export const POSTGRES = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
export const silent = pino({ level: 'silent' });

export function kafkaArgs(command: KafkaArgs['command'], overrides: Partial<KafkaArgs> = {}): KafkaArgs {
  return {
    command,
    brokers: BROKERS,
    clientId: `test-${command}`,
    topicPrefix: 'test',
    partitions: 4,
    storeUrl: 'sqlite::memory:',
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    speed: 1,
    scenario: undefined,
    seed: 5,
    sites: 4,
    minutes: undefined,
    from: undefined,
    ...overrides,
  };
}

/** A fresh topic prefix and PostgreSQL schema for one test. */
export function isolation(): { prefix: string; storeUrl: string; schema: string } {
  const id = randomUUID().slice(0, 8);
  const schema = `ww_kafka_${id}`;
  return { prefix: `test-${id}`, storeUrl: `${POSTGRES}?schema=${schema}`, schema };
}

/**
 * Events of a small simulated trust over [from, from + minutes), plus one "closing" event per site an
 * hour later that pushes every partition's watermark past the span (so all its windows are final).
 */
export function knownEvents(from: number, minutes: number, sites = 4): { events: TelemetryEvent[]; closing: TelemetryEvent[]; appChecks: number } {
  const simulator = new Simulator({ estate: buildEstate({ seed: 3, sites, wardsPerSite: 2, devicesPerWard: 5 }), seed: 3 });
  const events = simulator.generate(from, from + minutes * 60_000);
  const later = from + minutes * 60_000 + 3_600_000;
  const closing = simulator.estate.sites.map((s) => simulator.generate(later, later + 60_000).find((e) => e.site === s.id && e.kind === 'app')!);
  return { events, closing, appChecks: events.filter((e) => e.kind === 'app').length };
}

/** Application checks counted in the store's site rollups over [from, to). */
export async function countedAppChecks(store: RollupStore, from: number, to: number): Promise<number> {
  const rows = await store.query({ scope: 'site:*', metric: 'app.totalMs', resolution: '1m', from, to });
  return rows.reduce((n, r) => n + r.valid, 0);
}

export async function withStore<T>(url: string, use: (store: RollupStore) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
