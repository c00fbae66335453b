import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { writeSizeLimit } from './index.ts';

const app = new Hono();
app.use(writeSizeLimit({ maxBytes: 100, exceptPaths: ['/api/ingest'] }));
app.post('/api/silences', async (c) => c.json({ read: (await c.req.text()).length }, 201));
app.delete('/api/silences/:id', (c) => c.body(null, 204));
app.post('/api/ingest', async (c) => c.json({ read: (await c.req.text()).length }, 202));

describe('writeSizeLimit', () => {
  it.each([
    ['a small body', 'POST', '/api/silences', { 'content-length': '50' }, 'x'.repeat(50), 201],
    ['a body at the limit', 'POST', '/api/silences', { 'content-length': '100' }, 'x'.repeat(100), 201],
    ['a body over the limit', 'POST', '/api/silences', { 'content-length': '101' }, 'x'.repeat(101), 413],
    ['a chunked body of unstated length', 'POST', '/api/silences', { 'transfer-encoding': 'chunked' }, 'x', 411],
    ['a bodiless DELETE', 'DELETE', '/api/silences/x', {}, undefined, 204],
    ['ingest, which has its own limit', 'POST', '/api/ingest', { 'content-length': '5000' }, 'x'.repeat(5000), 202],
  ] as const)('%s → %i', async (_what, method, path, headers, body, status) => {
    const res = await app.request(`http://localhost${path}`, { method, headers, body });
    expect(res.status).toBe(status);
  });
});
