// The embedded pipeline's stepped clock, which the other end-to-end tests stand on: simulated time
// moves only by advance(ms); when a step resolves every event of its span is counted, and two
// pipelines of the same trust stepped alike — one a minute at a time, one in a single call — end with
// the same statuses, rollups and SLO figures, however the machine's load spread the work.
import { describe, expect, it } from 'vitest';
import type { SiteDetail } from '@wardwatch/schema';
import { boardStatuses as statuses, eventsCounted as eventsIn, MIN, responseText as text, TEST_START, testPipelines } from './helpers/pipeline.ts';

const start = testPipelines();

describe('stepped clock', () => {
  it('stands still until advanced, then has counted every event of the span when the step resolves', async () => {
    const pipeline = await start();
    expect(pipeline.clock()).toBe(TEST_START);
    await new Promise((resolve) => setTimeout(resolve, 300)); // wall time passes; simulated time does not
    expect(pipeline.clock()).toBe(TEST_START);
    expect(await eventsIn(pipeline)).toBe(0);

    await pipeline.advance(90_000);
    expect(pipeline.clock()).toBe(TEST_START + 90_000);
    const generated = pipeline.simulator!.generate(TEST_START, TEST_START + 90_000).length;
    expect(generated).toBeGreaterThan(100);
    expect(await eventsIn(pipeline)).toBe(generated);

    // The first minute is final (watermark lag 10 s, lateness 1 min): its rollups are stored.
    await pipeline.advance(MIN);
    const sites = (await (await fetch(`${pipeline.url}/api/sites`)).json()) as Array<{ id: string }>;
    const detail = (await (await fetch(`${pipeline.url}/api/sites/${sites[0]!.id}?hours=1`)).json()) as SiteDetail;
    expect(detail.series.t).toEqual([TEST_START / 1000]);
    await expect(pipeline.advance(1.5)).rejects.toThrow(/whole milliseconds/);
  }, 60_000);

  it('gives the same statuses, series and SLO figures for the same steps, taken one minute at a time or at once', async () => {
    const options = { seed: 3, backfillMs: 20 * MIN, scenario: 'site-wan-congested' as const };
    const [byMinute, atOnce] = await Promise.all([start(options), start(options)]);
    for (let i = 0; i < 12; i++) await byMinute.advance(MIN);
    await atOnce.advance(12 * MIN);
    expect(atOnce.clock()).toBe(byMinute.clock());

    const keys = statuses(byMinute).map((s) => s.key).sort();
    expect(keys.length).toBeGreaterThan(20);
    expect(statuses(atOnce).map((s) => s.key).sort()).toEqual(keys);
    for (const key of keys) expect(atOnce.board.get(key), key).toEqual(byMinute.board.get(key));
    // The faulted site is not OK in either: the same story, not two quiet boards.
    expect(byMinute.board.list('site').some((s) => s.status !== 'ok')).toBe(true);

    for (const path of ['/api/sites', '/api/slos']) expect(await text(atOnce, path), path).toBe(await text(byMinute, path));
    const sites = (await (await fetch(`${byMinute.url}/api/sites`)).json()) as Array<{ id: string }>;
    for (const { id } of sites) expect(await text(atOnce, `/api/sites/${id}?hours=1`)).toBe(await text(byMinute, `/api/sites/${id}?hours=1`));
    expect(await eventsIn(atOnce)).toBe(await eventsIn(byMinute));
  }, 120_000);

  it('is refused by a pipeline on the wall clock', async () => {
    const pipeline = await start({ demo: false, clock: 'wall' });
    await expect(pipeline.advance(MIN)).rejects.toThrow(/needs the stepped clock/);
  }, 60_000);
});
