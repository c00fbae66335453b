// GET /api/annotations, POST /api/annotations, DELETE /api/annotations/:id: a trust's record of changes
// ("SSO live at site:RXX03") and maintenance windows, which the evidence pack reads.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { ANNOTATION_KINDS, AnnotationInput, describeAnnotationError, type Annotation, type AnnotationKind } from '@wardwatch/schema';
import type { AnnotationQuery, AnnotationStore } from '@wardwatch/store';

export interface AnnotationRoutesOptions {
  store: AnnotationStore;
  /** Stamps createdAt (wall clock; the demo's simulated clock when it runs one). */
  now: () => number;
}

export function annotationRoutes({ store, now }: AnnotationRoutesOptions): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const query: AnnotationQuery = {};
    const { trust, scope, kind, from, to } = c.req.query();
    if (trust) query.trust = trust;
    if (scope) query.scope = scope;
    if (kind) {
      if (!(ANNOTATION_KINDS as readonly string[]).includes(kind)) return c.json({ error: `kind: must be one of ${ANNOTATION_KINDS.join(', ')}; got "${kind}"` }, 400);
      query.kind = kind as AnnotationKind;
    }
    for (const [name, value] of [['from', from], ['to', to]] as const) {
      if (value === undefined || value === '') continue;
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      if (!Number.isFinite(ms)) return c.json({ error: `${name}: must be epoch ms or an ISO 8601 date-time; got "${value}"` }, 400);
      query[name] = ms;
    }
    return c.json(await store.annotations(query));
  });

  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body: must be a JSON annotation {trust, scope, kind?, title, note?, start, end?, createdBy?}' }, 400);
    }
    const parsed = AnnotationInput.safeParse(body);
    if (!parsed.success) return c.json({ error: describeAnnotationError(parsed.error) }, 400);
    const annotation: Annotation = { id: randomUUID(), ...parsed.data, createdAt: now() };
    await store.addAnnotation(annotation);
    return c.json(annotation, 201);
  });

  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await store.deleteAnnotation(id))) return c.json({ error: `no annotation with id "${id}"` }, 404);
    return c.body(null, 204);
  });

  return app;
}
