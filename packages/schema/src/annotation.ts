// Annotations: what a trust records about its estate so the figures can be read against it — a change
// ("SSO live at site:RXX03", compared before and after in the evidence pack) or a maintenance window
// (left out of the figures). Served by GET/POST/DELETE /api/annotations and kept in the store.
import { z } from 'zod';

export const ANNOTATION_KINDS = ['change', 'maintenance'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** Rollup scope keys an annotation can name: "trust", "site:RXX03", "ward:RXX03/4B", "app:epr", … */
export const AnnotationScope = z
  .string()
  .max(200)
  .regex(/^(trust|(site|ward|ap|device|siteapp|app):[^\s*]+)$/, 'must be "trust" or a scope key such as "site:RXX03", "ward:RXX03/4B" or "siteapp:RXX03/epr"');

/** Epoch ms, or an ISO 8601 date-time with its offset ("2026-09-14T08:00:00+01:00", "…Z"). */
const INSTANT_FORM = 'must be epoch ms or an ISO 8601 date-time with an offset, e.g. 2026-09-14T08:00:00+01:00';
const Instant = z
  .union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))], { error: INSTANT_FORM })
  .pipe(z.number().min(946_684_800_000, 'must be after 2000-01-01').max(4_102_444_800_000, 'must be before 2100-01-01'));

/** POST /api/annotations: what the trust says. The server adds id and createdAt. */
export const AnnotationInput = z
  .strictObject({
    trust: z.string().min(1, 'must not be empty').max(64),
    scope: AnnotationScope,
    kind: z.enum(ANNOTATION_KINDS).default('change'),
    title: z.string().trim().min(1, 'must not be empty').max(200),
    note: z.string().max(4000).optional(),
    /** When the change happened, or the maintenance window opened. */
    start: Instant,
    /** When the maintenance window closed (required for maintenance, after start). */
    end: Instant.optional(),
    createdBy: z.string().max(200).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.kind === 'maintenance' && a.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'is required for a maintenance window' });
    if (a.end !== undefined && a.end <= a.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  });
export type AnnotationInput = z.input<typeof AnnotationInput>;

/** A stored annotation, as GET /api/annotations serves it (times in epoch ms). */
export const Annotation = z.strictObject({
  id: z.string().min(1),
  trust: z.string(),
  scope: z.string(),
  kind: z.enum(ANNOTATION_KINDS),
  title: z.string(),
  note: z.string().optional(),
  start: z.number(),
  end: z.number().optional(),
  createdBy: z.string().optional(),
  /** When it was recorded, epoch ms. */
  createdAt: z.number(),
});
export type Annotation = z.infer<typeof Annotation>;

/** The first problem with an annotation, naming its field: "end: is required for a maintenance window". */
export function describeAnnotationError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (issue.code === 'unrecognized_keys') return `${(issue as { keys: string[] }).keys.join(', ')}: not an annotation field (fields: trust, scope, kind, title, note, start, end, createdBy)`;
  return `${field}: ${issue.message}`;
}
