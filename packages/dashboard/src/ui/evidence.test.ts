import { describe, expect, it } from 'vitest';
import { annotationBody, previousMonth, routeMonth } from './evidence.ts';

describe('Evidence page helpers', () => {
  it.each([
    [new Date(2026, 10, 30, 12), '2026-10'],
    [new Date(2026, 0, 1, 0, 5), '2025-12'],
    [new Date(2026, 2, 1), '2026-02'],
  ])('the month before %s is %s', (now, month) => {
    expect(previousMonth(now)).toBe(month);
  });

  it('takes a month from the route only when it is one', () => {
    expect(routeMonth('2026-10')).toBe('2026-10');
    expect(routeMonth('2026-13')).toBeUndefined();
    expect(routeMonth('latest')).toBeUndefined();
    expect(routeMonth(undefined)).toBeUndefined();
  });

  it('turns the form into the annotation the API takes, or names the field to fix', () => {
    const form = { trust: 'RXX', scope: ' site:RXX03 ', kind: 'change', title: ' SSO live ', start: '2026-09-14T08:00', end: '', note: '' };
    const made = annotationBody(form);
    expect(made).toEqual({ body: { trust: 'RXX', scope: 'site:RXX03', kind: 'change', title: 'SSO live', start: new Date('2026-09-14T08:00').toISOString() } });
    expect(annotationBody({ ...form, kind: 'maintenance', end: '2026-09-14T10:00', note: 'core switch' })).toMatchObject({ body: { end: new Date('2026-09-14T10:00').toISOString(), note: 'core switch' } });
    expect(annotationBody({ ...form, start: '' })).toEqual({ error: 'start: choose the date and time of the change' });
  });
});
