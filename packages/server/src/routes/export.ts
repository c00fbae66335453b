// GET /api/export?scope=…&metric=…&resolution=…&from=…&to=… — any scope's stored rollups as CSV,
// streamed a slice of time at a time (a year of hourly rows never sits in memory at once).
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { csvField } from '@wardwatch/evidence';
import { ROLLUP_METRICS } from '@wardwatch/schema';
import { sketchQuantiles } from '@wardwatch/sketch';
import { RESOLUTION_MS, RESOLUTIONS, type Resolution, type RollupStore } from '@wardwatch/store';

export const EXPORT_COLUMNS = ['scope', 'metric', 'resolution', 'start', 'start_ms', 'count', 'valid', 'good', 'fast', 'p50', 'p90', 'p95', 'p99'] as const;

const SCOPE = /^((site|ward|device|ap|siteapp):[^\s*]+\*?|(site|ward|device|ap|siteapp):\*)$/;
const MAX_SPAN_MS = 400 * 86_400_000;
/** Rows per query: a slice of this many windows. */
const WINDOWS_PER_SLICE = 24 * 7;
const QS = [0.5, 0.9, 0.95, 0.99];

function instant(name: string, value: string | undefined): number | string {
  if (!value) return `${name}: required, epoch ms or an ISO 8601 date or date-time (e.g. 2026-10-01T00:00:00Z)`;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : `${name}: must be epoch ms or an ISO 8601 date or date-time; got "${value}"`;
}

export function exportRoutes({ store }: { store: RollupStore }): Hono {
  const app = new Hono();
  app.get('/export', async (c) => {
    const { scope, metric, resolution = '1h', from: fromText, to: toText } = c.req.query();
    if (!scope || !SCOPE.test(scope)) return c.json({ error: `scope: must be a scope key such as site:RXX01, ward:RXX01/4B, device:D17, ap:3c:a8:2a:10:00:9a or siteapp:RXX01/epr, or a prefix ending in * (ward:RXX01/*); got ${JSON.stringify(scope ?? '')}` }, 400);
    if (metric !== undefined && !(ROLLUP_METRICS as readonly string[]).includes(metric)) return c.json({ error: `metric: must be one of ${ROLLUP_METRICS.join(', ')}; got "${metric}"` }, 400);
    if (!(RESOLUTIONS as readonly string[]).includes(resolution)) return c.json({ error: `resolution: must be one of ${RESOLUTIONS.join(', ')}; got "${resolution}"` }, 400);
    const from = instant('from', fromText);
    const to = instant('to', toText);
    if (typeof from === 'string') return c.json({ error: from }, 400);
    if (typeof to === 'string') return c.json({ error: to }, 400);
    if (!(to > from)) return c.json({ error: 'to: must be after from' }, 400);
    if (to - from > MAX_SPAN_MS) return c.json({ error: 'from–to: at most 400 days at a time (the longest retention)' }, 400);
    const res = resolution as Resolution;
    const slice = RESOLUTION_MS[res] * WINDOWS_PER_SLICE;
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="wardwatch-export-${scope.replace(/[^A-Za-z0-9._-]+/g, '_')}-${res}.csv"`);
    return stream(c, async (out) => {
      await out.write(`${EXPORT_COLUMNS.join(',')}\r\n`);
      for (let start = from; start < to; start += slice) {
        const rows = await store.query({ scope, ...(metric ? { metric } : {}), resolution: res, from: start, to: Math.min(to, start + slice) });
        rows.sort((a, b) => a.start - b.start || a.scope.localeCompare(b.scope) || a.metric.localeCompare(b.metric));
        let text = '';
        for (const r of rows) {
          // Wi-Fi signal is stored as −dBm (sketches hold positive values): turned back into dBm, its quantiles mirror.
          const wifi = r.metric === 'wifi.signalDbm';
          const qs = sketchQuantiles(r.sketch, wifi ? QS.map((q) => 1 - q) : QS).map((v) => (v === null ? null : wifi ? -v : Math.round(v * 10) / 10));
          text += `${[r.scope, r.metric, r.resolution, new Date(r.start).toISOString(), r.start, r.count, r.valid, r.good, r.fast, ...qs].map(csvField).join(',')}\r\n`;
        }
        if (text) await out.write(text);
      }
    });
  });
  return app;
}
