import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMetrics, EVENT_LOOP_SAMPLE_MS } from './metrics.ts';
import { StatusBoard } from './status-board.ts';

/** A gauge's value as the registry exposes it to Prometheus. */
function gauge(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) throw new Error(`${name} is not exposed`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('process metrics', () => {
  it('samples the event loop every EVENT_LOOP_SAMPLE_MS, not a hundred times a second', async () => {
    const metrics = createMetrics(new StatusBoard());
    await metrics.registry.metrics(); // the histogram starts with the first scrape's reset
    await sleep(10 * EVENT_LOOP_SAMPLE_MS);
    const text = await metrics.registry.metrics();
    // The histogram records the time between samples: its median sits at the sampling interval
    // (prom-client's default, 10 ms, would put it near 0.01 s), and a quiet loop adds little to it.
    const median = gauge(text, 'wardwatch_nodejs_eventloop_lag_p50_seconds');
    expect(median).toBeGreaterThanOrEqual((0.9 * EVENT_LOOP_SAMPLE_MS) / 1000);
    metrics.registry.clear();
  });
});
