// POST /api/ingest with bad input: clear 4xx answers, while the good events in the same batch still
// reach the processor and count. The pipeline's clock is stepped: events are stamped by it, and
// `advance(0)` returns once what was accepted is processed and settled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, SiteDetail, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import type { DeadLetterPage } from '@wardwatch/server';
import { startTestPipeline } from './helpers/pipeline.ts';

let pipeline: RunningPipeline;

beforeAll(async () => {
  pipeline = await startTestPipeline({ demo: false, seed: 1, processor: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000 } });
});

afterAll(async () => {
  await pipeline?.stop();
});

let seq = 0;
function appEvent(ts: number, overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  seq++;
  return {
    v: 1, id: `ingest-test-${String(seq).padStart(6, '0')}`, seq, ts, trust: 'RXX', site: 'HTTP1', ward: 'W1', device: 'HTTP1-W1-D1',
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 350 }, ...overrides,
  } as TelemetryEvent;
}

const post = (body: string, contentType = 'application/x-ndjson') =>
  fetch(`${pipeline.url}/api/ingest`, { method: 'POST', body, headers: { 'content-type': contentType } });

describe('POST /api/ingest', () => {
  it('accepts the good events of a mixed batch and reports each bad one by index and reason', async () => {
    const now = pipeline.clock();
    const good = Array.from({ length: 12 }, (_, i) => appEvent(now - 10 * 60_000 + i * 45_000));
    const lines = [
      JSON.stringify(good[0]),
      '{"v":1,"id":"broken', // malformed JSON
      JSON.stringify({ ...appEvent(now), seq: 'seven' }), // wrong type
      JSON.stringify({ ...appEvent(now), kind: 'mood' }), // unknown kind
      JSON.stringify({ ...appEvent(now), device: undefined, site: undefined }), // missing ids
      JSON.stringify(appEvent(now + 48 * 3_600_000)), // far in the future
      ...good.slice(1).map((e) => JSON.stringify(e)),
    ];
    const response = await post(lines.join('\n'));
    expect(response.status).toBe(202);
    const result = (await response.json()) as IngestResult;
    expect(result.accepted).toBe(12);
    expect(result.rejected).toBe(5);
    expect(result.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'malformed-json'],
      [2, 'schema'],
      [3, 'unknown-kind'],
      [4, 'schema'],
      [5, 'future-timestamp'],
    ]);
    expect(result.rejections[1]!.message).toMatch(/^seq:/);
    expect(result.rejections[3]!.message).toMatch(/^(site|device):/);

    // Each refusal is a dead letter an admin can read, with what was sent and why.
    const page = (await (await fetch(`${pipeline.url}/api/dead-letters?limit=5`)).json()) as DeadLetterPage;
    expect(page.letters.map((l) => [l.reason, l.message, l.original, l.topic])).toEqual(
      [...result.rejections].reverse().map((r) => [r.reason, r.message, lines[r.index], 'http']),
    );
    expect(page.counts).toMatchObject({ 'malformed-json': 1, schema: 2, 'unknown-kind': 1, 'future-timestamp': 1 });

    // The good ones count: the device shows up with its checks once they are processed.
    await pipeline.advance(0);
    const r = await fetch(`${pipeline.url}/api/sites/HTTP1`);
    expect(r.status).toBe(200);
    const detail = (await r.json()) as SiteDetail;
    expect(detail.devices.map((d) => d.id)).toEqual(['HTTP1-W1-D1']);
    expect(detail.appChecks).toBeGreaterThan(0);
  }, 30_000);

  it('answers 400s, never 500s, to what once broke it, and keeps the good events beside them', async () => {
    const now = pipeline.clock();
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const beyondDate = JSON.stringify({ ...appEvent(now), ts: 8.64e15 + 1 });
    const topOfRange = JSON.stringify({ ...appEvent(now), ts: Date.UTC(2100, 0, 1) });
    const ndjson = await post([JSON.stringify(appEvent(now - 1000)), beyondDate, deep, topOfRange, JSON.stringify(appEvent(now - 2000))].join('\n'));
    expect(ndjson.status).toBe(202);
    const result = (await ndjson.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 2, rejected: 3 });
    expect(result.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'schema'], [2, 'too-deep'], [3, 'schema']]);

    const array = await post(`[${JSON.stringify(appEvent(now - 3000))},${deep},${beyondDate}]`, 'application/json');
    expect(array.status).toBe(202);
    expect(((await array.json()) as IngestResult).rejections.map((r) => r.reason)).toEqual(['too-deep', 'schema']);

    const onlyBad = await post([beyondDate, deep].join('\n'));
    expect(onlyBad.status).toBe(400);
    expect(await onlyBad.json()).toMatchObject({ accepted: 0, rejected: 2 });
    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/wardwatch_events_rejected_total\{reason="too-deep"\} 3/);
  });

  it('moves a batch from a clock 5 minutes ahead onto the server\'s clock, and measures it', async () => {
    const device = 'HTTP1-W1-D2';
    const sentAt = pipeline.clock() + 5 * 60_000;
    // 8 minutes ahead by the device's clock is 3 minutes ahead by the server's: inside the allowance.
    const ahead = appEvent(sentAt + 3 * 60_000, { device });
    const response = await fetch(`${pipeline.url}/api/ingest`, {
      method: 'POST',
      body: JSON.stringify([appEvent(sentAt - 60_000, { device }), ahead]),
      headers: { 'content-type': 'application/json', 'Wardwatch-Sent-At': String(sentAt) },
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as IngestResult).accepted).toBe(2);
    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/wardwatch_ingest_clock_skew_seconds_bucket\{le="300"\} 1/);
    expect(metrics).toMatch(/wardwatch_ingest_clock_skew_seconds_bucket\{le="60"\} 0/);
    expect(metrics).toMatch(/wardwatch_ingest_events_time_corrected_total 2/);

    const bad = await fetch(`${pipeline.url}/api/ingest`, { method: 'POST', body: JSON.stringify(ahead), headers: { 'Wardwatch-Sent-At': 'now' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/Wardwatch-Sent-At must be/);
  });

  it('accepts a JSON array too', async () => {
    const response = await post(JSON.stringify([appEvent(pipeline.clock())]), 'application/json');
    expect(response.status).toBe(202);
    expect(((await response.json()) as IngestResult).accepted).toBe(1);
  });

  it.each([
    ['an empty body', '', /empty/],
    ['nothing valid', '{"kind":"app"}\nnot json', /no valid event/],
    ['a broken JSON array', '[{"v":1},', /not a valid JSON array/],
  ])('answers 400 to %s', async (_name, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it('answers 413 to an oversized body', async () => {
    const line = JSON.stringify(appEvent(pipeline.clock()));
    const body = Array.from({ length: Math.ceil((6 * 1024 * 1024) / line.length) }, () => line).join('\n');
    const response = await post(body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than/);
  });

  it('answers 404 with a message for an unknown API route and site', async () => {
    const route = await fetch(`${pipeline.url}/api/nothing-here`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as { error: string }).error).toMatch(/no API route/);
    const site = await fetch(`${pipeline.url}/api/sites/NOPE`);
    expect(site.status).toBe(404);
  });

  it('answers 400 to an unknown device status filter', async () => {
    const response = await fetch(`${pipeline.url}/api/devices?status=sad`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/status must be/);
  });
});
