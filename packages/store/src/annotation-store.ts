// Annotations kept beside the rollups: a trust's record of changes and maintenance windows, read by
// the evidence pack and the API. Implemented by both stores; tested by the shared contract.
import type { Annotation } from '@wardwatch/schema';

export interface AnnotationQuery {
  id?: string;
  trust?: string;
  /** Exact scope key. */
  scope?: string;
  /** Annotations overlapping [from, to): a change at `start` counts as the instant `start`. */
  from?: number;
  to?: number;
  kind?: Annotation['kind'];
}

export interface AnnotationStore {
  /** Stores an annotation; an id already stored is replaced. */
  addAnnotation(annotation: Annotation): Promise<void>;
  /** Matching annotations, by start then id. */
  annotations(query?: AnnotationQuery): Promise<Annotation[]>;
  /** Removes one; false when there was none with that id. */
  deleteAnnotation(id: string): Promise<boolean>;
}

/** The row form both stores keep: optional fields as null. */
export interface AnnotationRow {
  id: string;
  trust: string;
  scope: string;
  kind: string;
  title: string;
  note: string | null;
  start: number;
  end_at: number | null;
  created_by: string | null;
  created_at: number;
}

export function toAnnotationRow(a: Annotation): AnnotationRow {
  return {
    id: a.id,
    trust: a.trust,
    scope: a.scope,
    kind: a.kind,
    title: a.title,
    note: a.note ?? null,
    start: a.start,
    end_at: a.end ?? null,
    created_by: a.createdBy ?? null,
    created_at: a.createdAt,
  };
}

export function fromAnnotationRow(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    trust: r.trust,
    scope: r.scope,
    kind: r.kind as Annotation['kind'],
    title: r.title,
    ...(r.note !== null ? { note: r.note } : {}),
    start: Number(r.start),
    ...(r.end_at !== null ? { end: Number(r.end_at) } : {}),
    ...(r.created_by !== null ? { createdBy: r.created_by } : {}),
    createdAt: Number(r.created_at),
  };
}

/** WHERE conditions for a query, with `param(value)` returning the placeholder of each value. */
export function annotationWhere(q: AnnotationQuery, param: (value: unknown) => string): string {
  const where: string[] = [];
  if (q.id !== undefined) where.push(`id = ${param(q.id)}`);
  if (q.trust !== undefined) where.push(`trust = ${param(q.trust)}`);
  if (q.scope !== undefined) where.push(`scope = ${param(q.scope)}`);
  if (q.kind !== undefined) where.push(`kind = ${param(q.kind)}`);
  if (q.to !== undefined) where.push(`start < ${param(q.to)}`);
  if (q.from !== undefined) where.push(`COALESCE(end_at, start + 1) > ${param(q.from)}`);
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}
