// The words every channel uses for a notification, so they all say the same thing.
import { budgetLeftText } from '@wardwatch/schema';
import type { Notification } from '../alert-book.ts';

export function notificationTitle(n: Notification): string {
  const state = n.status === 'firing' ? 'FIRING' : 'RESOLVED';
  return `[${state} ${n.alert.severity}] ${n.alert.slo} on ${n.alert.scope}`;
}

export function notificationText(n: Notification): string {
  const a = n.alert;
  if (n.status === 'resolved') {
    return `${a.slo} on ${a.scope} is no longer burning its error budget fast enough to ${a.severity === 'page' ? 'page' : 'need a ticket'}; ${budgetLeftText(a.errorBudgetRemaining)} of the budget left.`;
  }
  return a.summary;
}

/** Label → value pairs shown as facts/fields by Teams, Slack and email. */
export function notificationFacts(n: Notification): Array<[string, string]> {
  const a = n.alert;
  return [
    ['SLO', a.slo],
    ['Scope', a.scope],
    ['Severity', a.severity],
    ['Objective', percent(a.objective)],
    ['Budget left', budgetLeftText(a.errorBudgetRemaining)],
    ['Since', new Date(a.startsAt).toISOString()],
    ...(a.endsAt !== null ? [['Resolved', new Date(a.endsAt).toISOString()] as [string, string]] : []),
  ];
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 10_000) / 100} %`;
}
