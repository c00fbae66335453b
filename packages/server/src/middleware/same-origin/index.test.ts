import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sameOriginWrites } from './index.ts';

const app = new Hono();
app.use(sameOriginWrites({ devicePaths: ['/api/ingest'], origins: ['https://wardwatch.trust.nhs.uk'] }));
app.post('/api/silences', (c) => c.json({ ok: true }, 201));
app.delete('/api/silences/:id', (c) => c.body(null, 204));
app.post('/api/ingest', (c) => c.json({ accepted: 1 }, 202));
app.get('/api/sites', (c) => c.json([]));

const URL_ = 'http://localhost:8080';
const json = { 'content-type': 'application/json' };

describe('sameOriginWrites', () => {
  it.each([
    // [what, method, path, headers, status]
    ['same-origin JSON from the dashboard', 'POST', '/api/silences', { ...json, origin: URL_, 'sec-fetch-site': 'same-origin' }, 201],
    ['JSON from a script (no Origin)', 'POST', '/api/silences', json, 201],
    ['the https public URL in front of a proxy', 'POST', '/api/silences', { ...json, origin: 'https://wardwatch.trust.nhs.uk' }, 201],
    ['cross-origin text/plain (a page anywhere)', 'POST', '/api/silences', { 'content-type': 'text/plain', origin: 'https://evil.example' }, 403],
    ['cross-origin form post', 'POST', '/api/silences', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403],
    ['cross-origin JSON', 'POST', '/api/silences', { ...json, origin: 'https://evil.example' }, 403],
    ['Origin null (sandboxed frame)', 'POST', '/api/silences', { ...json, origin: 'null' }, 403],
    ['same-site sibling (Sec-Fetch-Site only)', 'POST', '/api/silences', { ...json, 'sec-fetch-site': 'same-site' }, 403],
    ['cross-site with no Origin (old browser, Sec-Fetch-Site only)', 'POST', '/api/silences', { ...json, 'sec-fetch-site': 'cross-site' }, 403],
    ['text/plain with no Origin (an old browser\'s form)', 'POST', '/api/silences', { 'content-type': 'text/plain' }, 415],
    ['multipart form', 'POST', '/api/silences', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
    ['a body with no type at all', 'POST', '/api/silences', { 'content-length': '2' }, 415],
    ['cross-origin DELETE', 'DELETE', '/api/silences/x', { origin: 'https://evil.example' }, 403],
    ['bodiless DELETE from a script', 'DELETE', '/api/silences/x', {}, 204],
    ['NDJSON from a device (no Origin)', 'POST', '/api/ingest', { 'content-type': 'application/x-ndjson' }, 202],
    ['text/plain from a device (no Origin)', 'POST', '/api/ingest', { 'content-type': 'text/plain' }, 202],
    ['a browser on another origin posting to ingest', 'POST', '/api/ingest', { 'content-type': 'text/plain', origin: 'https://evil.example' }, 403],
    ['a cross-site no-cors post to ingest (Sec-Fetch-Site)', 'POST', '/api/ingest', { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }, 403],
    ['a cross-origin GET is a read, not a write', 'GET', '/api/sites', { origin: 'https://evil.example' }, 200],
  ] as const)('%s → %i', async (_what, method, path, headers, status) => {
    // Bytes, not a string: a string body would be typed text/plain by Request itself.
    const body = method === 'POST' ? new TextEncoder().encode('{}') : undefined;
    const res = await app.request(`${URL_}${path}`, { method, headers, body });
    expect(res.status).toBe(status);
    if (status === 403) expect((await res.json()).error).toMatch(/cross-origin .* refused/);
    if (status === 415) expect((await res.json()).error).toMatch(/takes a JSON body: send Content-Type: application\/json/);
  });
});
