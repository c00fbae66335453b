// PUT and DELETE /api/alerts/:fingerprint/assignment: an operator gives a firing alert to a person or
// a team (who, and a note), or takes it back. Who assigned it and when are the server's to say: the
// signed-in user and the event-time clock. Like acknowledging (a silence), each is recorded in the
// audit trail (auth/audit.ts records every change), kept in the store so a restart keeps it, and
// shown on the alert in GET /api/alerts and on the alerts page.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { parseConfig, type AlertAssignment } from '@wardwatch/schema';
import type { AssignmentStore } from '@wardwatch/store';
import type { Principal } from '../auth/claims.ts';
import { noteRefusal } from '../auth/refusal.ts';
import { trustScopeOf } from '../auth/trust-scope.ts';
import type { SloEvaluator } from '../slo-evaluator.ts';

const assignmentBody = z.strictObject({
  assignee: z.string().trim().min(1, { error: 'name the person or team (1 to 200 characters)' }).max(200, { error: 'at most 200 characters' }),
  note: z.string().trim().max(500, { error: 'at most 500 characters' }).default(''),
});

export interface AssignmentRoutesOptions {
  evaluator: Pick<SloEvaluator, 'book' | 'now' | 'onEvaluated'>;
  /** The trust a scope key belongs to (from the status board): a caller assigns only their trusts' alerts. */
  trustOf?: (scope: string) => string | undefined;
  /** Where assignments are kept across restarts (read them into the alert book with readSharedAlertState before serving). */
  kept?: AssignmentStore;
  onError?: (error: unknown) => void;
}

export function assignmentRoutes({ evaluator, trustOf = () => undefined, kept, onError }: AssignmentRoutesOptions): Hono {
  const app = new Hono();
  // An assignment ends with its alert: the store forgets it when the book does.
  evaluator.onEvaluated(() => {
    for (const print of evaluator.book.takeEndedAssignments()) kept?.deleteAssignment(print).catch((error: unknown) => onError?.(error));
  });

  /** The firing alert the caller may act on, or the answer to give instead. */
  const firingAlert = (c: Context, print: string) => {
    const alert = evaluator.book.get(print);
    const trusts = trustScopeOf(c);
    if (alert && !trusts.sees(trustOf(alert.scope))) {
      const owner = trustOf(alert.scope);
      noteRefusal(c, `alert ${print} is on ${alert.scope}${owner ? ` of trust ${owner}` : ''}, not one of their trusts`);
    }
    if (!alert || !trusts.sees(trustOf(alert.scope))) return undefined;
    return alert;
  };
  const notFiring = (print: string) => ({ error: `no firing alert with fingerprint "${print}" (GET /api/alerts lists them; a resolved alert can no longer be assigned)` });

  app.put('/:fingerprint/assignment', async (c) => {
    const print = c.req.param('fingerprint');
    const json = await c.req.json().then((value: unknown) => ({ value }), () => undefined);
    const parsed = json ? parseConfig(assignmentBody, json.value) : undefined;
    if (!parsed?.ok) {
      const why = parsed ? parsed.problems.join('; ') : 'the body must be JSON';
      return c.json({ error: `invalid assignment: ${why}; send {"assignee": "Network team", "note": "…"}` }, 400);
    }
    const body = parsed.value;
    if (!firingAlert(c, print)) return c.json(notFiring(print), 404);
    const principal = c.get('principal') as Principal | undefined;
    const assignment: AlertAssignment = {
      assignee: body.assignee,
      note: body.note,
      assignedBy: principal && principal.sub !== 'local' ? principal.name : '',
      assignedAt: evaluator.now(),
    };
    await kept?.putAssignment(print, assignment); // stored first: a store that fails changes nothing
    evaluator.book.assign(print, assignment);
    return c.json(assignment);
  });

  app.delete('/:fingerprint/assignment', async (c) => {
    const print = c.req.param('fingerprint');
    const alert = firingAlert(c, print);
    if (!alert) return c.json(notFiring(print), 404);
    if (!alert.assignment) return c.json({ error: `alert "${print}" is assigned to nobody` }, 404);
    await kept?.deleteAssignment(print);
    evaluator.book.unassign(print);
    return c.body(null, 204);
  });

  return app;
}

