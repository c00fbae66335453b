import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { genericErrors } from './index.ts';

describe('genericErrors', () => {
  it('answers 500 with a generic message and a reference; the detail goes only to the log', async () => {
    const logged: Array<{ error: unknown; ref: string; path: string }> = [];
    const app = new Hono();
    app.onError(genericErrors((error, context) => logged.push({ error, ...context })));
    app.get('/boom', () => {
      throw new Error('relation "rollups" does not exist at /srv/wardwatch/.data/x.db');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/rollups|\/srv|\.db|Error|at /);
    const body = JSON.parse(text) as { error: string; ref: string };
    expect(body.error).toMatch(/^internal error/);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.ref).toBe(body.ref);
    expect(logged[0]!.path).toBe('/boom');
    expect((logged[0]!.error as Error).message).toMatch(/rollups/);
  });

  it('keeps the answer of an HTTPException raised on purpose', async () => {
    const app = new Hono();
    app.onError(genericErrors(() => {}));
    app.get('/limit', () => {
      throw new HTTPException(413, { message: 'too large' });
    });
    const res = await app.request('/limit');
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('too large');
  });
});
