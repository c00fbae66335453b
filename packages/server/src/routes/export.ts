// GET /api/export?scope=…&metric=…&resolution=…&from=…&to=… — any scope's stored rollups as CSV,
// streamed a slice of time at a time (a year of hourly rows never sits in memory at once). Hourly rows
// are kept 62 days: for the part of a range before them, an hourly export reads the day tier (a row per
// London day; wards and access points a row per London month once their days are pruned), and
// `resolution=day` reads it for the whole range. Each row's resolution column says which it is.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { csvField, londonMonth, monthOf, PackReads, type SpanRecord } from '@wardwatch/evidence';
import { ROLLUP_METRICS } from '@wardwatch/schema';
import { sketchQuantiles } from '@wardwatch/sketch';
import { RESOLUTION_MS, RESOLUTIONS, type Resolution, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { hourlyKeptFrom, isDayRollupStore } from '../hourly-kept.ts';

export const EXPORT_COLUMNS = ['scope', 'metric', 'resolution', 'start', 'start_ms', 'count', 'valid', 'good', 'fast', 'p50', 'p90', 'p95', 'p99'] as const;

const SCOPE = /^((site|ward|device|ap|siteapp):[^\s*]+\*?|(site|ward|device|ap|siteapp):\*)$/;
const MAX_SPAN_MS = 400 * 86_400_000;
/** Rows per query: a slice of this many windows. */
const WINDOWS_PER_SLICE = 24 * 7;
const QS = [0.5, 0.9, 0.95, 0.99];
/** The resolutions an export takes: the stored ones, and the day tier's London days. */
const EXPORT_RESOLUTIONS = [...RESOLUTIONS, 'day'] as const;

/** What a row read from the tiers stands for: an hour, a London day or a London month. */
function resolutionOf(r: SpanRecord): string {
  if (r.end === undefined || r.end - r.start <= 3_600_000) return r.resolution;
  return r.end - r.start <= 25 * 3_600_000 ? 'day' : 'month';
}

function instant(name: string, value: string | undefined): number | string {
  if (!value) return `${name}: required, epoch ms or an ISO 8601 date or date-time (e.g. 2026-10-01T00:00:00Z)`;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : `${name}: must be epoch ms or an ISO 8601 date or date-time; got "${value}"`;
}

export interface ExportOptions {
  store: RollupStore;
  /** The server's clock: where the hourly rows' retention begins. */
  clock?: () => number;
}

export function exportRoutes({ store, clock = Date.now }: ExportOptions): Hono {
  const app = new Hono();
  app.get('/export', async (c) => {
    const { scope, metric, resolution = '1h', from: fromText, to: toText } = c.req.query();
    if (!scope || !SCOPE.test(scope)) return c.json({ error: `scope: must be a scope key such as site:RXX01, ward:RXX01/4B, device:D17, ap:3c:a8:2a:10:00:9a or siteapp:RXX01/epr, or a prefix ending in * (ward:RXX01/*); got ${JSON.stringify(scope ?? '')}` }, 400);
    if (metric !== undefined && !(ROLLUP_METRICS as readonly string[]).includes(metric)) return c.json({ error: `metric: must be one of ${ROLLUP_METRICS.join(', ')}; got "${metric}"` }, 400);
    if (!(EXPORT_RESOLUTIONS as readonly string[]).includes(resolution)) return c.json({ error: `resolution: must be one of ${EXPORT_RESOLUTIONS.join(', ')}; got "${resolution}"` }, 400);
    const from = instant('from', fromText);
    const to = instant('to', toText);
    if (typeof from === 'string') return c.json({ error: from }, 400);
    if (typeof to === 'string') return c.json({ error: to }, 400);
    if (!(to > from)) return c.json({ error: 'to: must be after from' }, 400);
    if (to - from > MAX_SPAN_MS) return c.json({ error: 'from–to: at most 400 days at a time (the longest retention)' }, 400);
    const tiered = resolution === 'day' || resolution === '1h';
    // Before `kept` (a London midnight) the tiers are read, from it the resolution asked for.
    const kept = resolution === 'day' ? to : resolution === '1h' ? Math.max(from, Math.min(to, await hourlyKeptFrom(store, clock()))) : from;
    if (resolution === 'day' && !isDayRollupStore(store)) return c.json({ error: 'resolution: this store keeps no day rows; ask for 1m, 5m or 1h' }, 400);
    const res = (resolution === 'day' ? '1h' : resolution) as Resolution;
    const slice = RESOLUTION_MS[res] * WINDOWS_PER_SLICE;
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="wardwatch-export-${scope.replace(/[^A-Za-z0-9._-]+/g, '_')}-${resolution}.csv"`);
    if (tiered && kept > from) c.header('x-wardwatch-tiers-to', new Date(kept).toISOString());
    const line = (r: SpanRecord) => {
      // Wi-Fi signal is stored as −dBm (sketches hold positive values): turned back into dBm, its quantiles mirror.
      const wifi = r.metric === 'wifi.signalDbm';
      const qs = sketchQuantiles(r.sketch, wifi ? QS.map((q) => 1 - q) : QS).map((v) => (v === null ? null : wifi ? -v : Math.round(v * 10) / 10));
      return `${[r.scope, r.metric, resolutionOf(r), new Date(r.start).toISOString(), r.start, r.count, r.valid, r.good, r.fast, ...qs].map(csvField).join(',')}\r\n`;
    };
    const sorted = (rows: SpanRecord[]) => rows.sort((a, b) => a.start - b.start || a.scope.localeCompare(b.scope) || a.metric.localeCompare(b.metric));
    return stream(c, async (out) => {
      await out.write(`${EXPORT_COLUMNS.join(',')}\r\n`);
      if (tiered && kept > from) {
        // The tiers a London month at a time (a month's row stands for a whole month only).
        // By day where the days are kept; a month's row only once they are not.
        const reads = await PackReads.open(store, [], { byDay: true });
        for (let start = from; start < kept; ) {
          const end = Math.min(kept, londonMonth(monthOf(start)).to);
          const rows = await reads.read(scope, start, end, metric ? { metric } : {});
          const text = sorted(rows.filter((r) => r.start >= from && r.start < end)).map(line).join('');
          if (text) await out.write(text);
          start = end;
        }
      }
      for (let start = kept; start < to; start += slice) {
        const rows: RollupRecord[] = await store.query({ scope, ...(metric ? { metric } : {}), resolution: res, from: start, to: Math.min(to, start + slice) });
        const text = sorted(rows).map(line).join('');
        if (text) await out.write(text);
      }
    });
  });
  return app;
}
