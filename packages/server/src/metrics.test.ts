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
    // The histogram records the time between two samples and is reset by each scrape (with its first
    // sample: a scrape needs two samples after the last to show one). Its median sits at the sampling
    // interval — prom-client's default, 10 ms, puts it near 0.01 s, and this never passes; a busy loop
    // only raises it. Scraped every three intervals.
    const median = async () => gauge(await metrics.registry.metrics(), 'wardwatch_nodejs_eventloop_lag_p50_seconds');
    await expect.poll(median, { interval: 3 * EVENT_LOOP_SAMPLE_MS, timeout: 5_000 }).toBeGreaterThanOrEqual((0.9 * EVENT_LOOP_SAMPLE_MS) / 1000);
    metrics.registry.clear();
  });
});
