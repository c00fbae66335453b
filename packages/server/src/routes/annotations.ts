// GET /api/annotations, POST /api/annotations, DELETE /api/annotations/:id: a trust's record of changes
// ("SSO live at site:RXX03") and maintenance windows, which the evidence pack reads.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { ANNOTATION_KINDS, AnnotationInput, describeAnnotationError, type Annotation, type AnnotationKind } from '@wardwatch/schema';
import type { AnnotationQuery, AnnotationStore } from '@wardwatch/store';
import { noteRefusal } from '../auth/refusal.ts';

export interface AnnotationRoutesOptions {
  store: AnnotationStore;
  /** Stamps createdAt (wall clock; the demo's simulated clock when it runs one). */
  now: () => number;
  /** After an annotation is added or removed, before the answer: the site list's maintenance windows are read again. */
  onChange?: () => Promise<void> | undefined;
}

/** The trusts a signed-in caller may see, or undefined for all (no sign-in, or the local administrator). */
function callerTrusts(c: Context): readonly string[] | undefined {
  const trusts = (c.get('principal') as { trusts?: readonly string[] } | undefined)?.trusts;
  return trusts && !trusts.includes('*') ? trusts : undefined;
}

/**
 * Another trust's annotations answer 404, as if the trust had none and did not exist, like every
 * trust-scoped route (a 403 would confirm it does); the audit trail keeps the true reason.
 */
function noSuchTrust(c: Context, trust: string, trusts: readonly string[]) {
  noteRefusal(c, `trust ${trust} is not one of theirs (${trusts.join(', ') || 'none'})`);
  return c.json({ error: `no trust "${trust}"` }, 404);
}

export function annotationRoutes({ store, now, onChange }: AnnotationRoutesOptions): Hono {
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
    // Signed in: only the trusts the caller's claims name, as for the evidence pack.
    const trusts = callerTrusts(c);
    if (trusts && query.trust !== undefined && !trusts.includes(query.trust)) return noSuchTrust(c, query.trust, trusts);
    const found = await store.annotations(query);
    return c.json(trusts ? found.filter((a) => trusts.includes(a.trust)) : found);
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
    const trusts = callerTrusts(c);
    if (trusts && !trusts.includes(parsed.data.trust)) return noSuchTrust(c, parsed.data.trust, trusts);
    const annotation: Annotation = { id: randomUUID(), ...parsed.data, createdAt: now() };
    await store.addAnnotation(annotation);
    await onChange?.();
    return c.json(annotation, 201);
  });

  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const trusts = callerTrusts(c);
    // Another trust's annotation is as good as absent to this caller.
    const [found] = await store.annotations({ id });
    if (found && trusts && !trusts.includes(found.trust)) noteRefusal(c, `annotation ${id} is of trust ${found.trust}, not one of theirs (${trusts.join(', ')})`);
    if (!found || (trusts && !trusts.includes(found.trust)) || !(await store.deleteAnnotation(id))) return c.json({ error: `no annotation with id "${id}"` }, 404);
    await onChange?.();
    return c.body(null, 204);
  });

  return app;
}
