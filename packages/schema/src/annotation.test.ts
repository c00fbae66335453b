import { describe, expect, it } from 'vitest';
import { Annotation, AnnotationInput, describeAnnotationError } from './annotation.ts';

const SSO = { trust: 'RXX', scope: 'site:RXX03', title: 'SSO live', start: '2026-09-14T08:00:00+01:00' };

describe('annotations', () => {
  it('reads a change with an ISO time as epoch ms, kind "change" by default', () => {
    expect(AnnotationInput.parse(SSO)).toEqual({ ...SSO, kind: 'change', start: Date.parse('2026-09-14T07:00:00Z') });
    expect(AnnotationInput.parse({ ...SSO, start: 1_789_369_200_000 }).start).toBe(1_789_369_200_000);
  });

  it('takes a maintenance window with its end', () => {
    const m = AnnotationInput.parse({ ...SSO, kind: 'maintenance', title: 'Wi-Fi upgrade', end: '2026-09-14T10:00:00+01:00' });
    expect(m.end! - m.start).toBe(2 * 3_600_000);
  });

  it.each([
    [{ ...SSO, scope: 'RXX03' }, /^scope: must be "trust" or a scope key/],
    [{ ...SSO, scope: 'site:*' }, /^scope:/],
    [{ ...SSO, trust: '' }, /^trust: must not be empty/],
    [{ ...SSO, title: '  ' }, /^title: must not be empty/],
    [{ ...SSO, start: '2026-09-14' }, /^start: must be epoch ms or an ISO 8601 date-time/],
    [{ ...SSO, start: 1.5 }, /^start: must be epoch ms/],
    [{ ...SSO, start: 5 }, /^start: must be after 2000-01-01/],
    [{ ...SSO, kind: 'outage' }, /^kind:/],
    [{ ...SSO, kind: 'maintenance' }, /^end: is required for a maintenance window/],
    [{ ...SSO, end: '2026-09-14T07:00:00+01:00' }, /^end: must be after start/],
    [{ ...SSO, id: 'x' }, /^id: not an annotation field/],
    [{ scope: 'site:RXX03', title: 'x', start: 1_789_369_200_000 }, /^trust:/],
  ])('rejects %j, naming the field', (input, message) => {
    const result = AnnotationInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeAnnotationError(result.error!)).toMatch(message);
  });

  it('a stored annotation has an id and a creation time', () => {
    const stored = { ...AnnotationInput.parse(SSO), id: 'a1', createdAt: 1_790_000_000_000 };
    expect(Annotation.parse(stored)).toEqual(stored);
    expect(Annotation.safeParse({ ...stored, id: undefined }).success).toBe(false);
  });
});
