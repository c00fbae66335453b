// The Evidence page's pure parts: which month to show and the annotation the form posts. Kept apart
// from the elements so they are tested without a browser. How its figures read is shared with the
// printed pack (@wardwatch/schema's evidence-text).
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The calendar month before the one `now` is in ("2026-10" on any day of November). */
export function previousMonth(now: Date): string {
  const y = now.getFullYear();
  const m = now.getMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** The month a route names, or undefined when it names none that is valid. */
export function routeMonth(text: string | undefined): string | undefined {
  return text !== undefined && MONTH.test(text) ? text : undefined;
}

export interface AnnotationForm {
  trust: string;
  scope: string;
  kind: string;
  title: string;
  /** A datetime-local value, "2026-09-14T08:00", in the browser's time zone. */
  start: string;
  end: string;
  note: string;
}

/** The body POST /api/annotations takes, or the first field to fix. */
export function annotationBody(form: AnnotationForm): { body: Record<string, unknown> } | { error: string } {
  const start = Date.parse(form.start);
  if (!Number.isFinite(start)) return { error: 'start: choose the date and time of the change' };
  const body: Record<string, unknown> = { trust: form.trust, scope: form.scope.trim(), kind: form.kind, title: form.title.trim(), start: new Date(start).toISOString() };
  if (form.end) {
    const end = Date.parse(form.end);
    if (!Number.isFinite(end)) return { error: 'end: choose the date and time the window closed' };
    body.end = new Date(end).toISOString();
  }
  if (form.note.trim()) body.note = form.note.trim();
  return { body };
}
