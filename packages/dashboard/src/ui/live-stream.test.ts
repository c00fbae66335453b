import { describe, expect, it } from 'vitest';
import { statusSelector, type LiveListener } from './live-stream.ts';

const on = () => {};
describe('statusSelector', () => {
  it.each<[string, LiveListener[], string]>([
    ['the grid alone wants no statuses', [{ sites: on }], 'none'],
    ['a site page wants its site', [{ sites: on }, { status: on, statuses: () => 'site:S1' }], 'site:S1'],
    ['two listeners on one site', [{ status: on, statuses: () => 'site:S1' }, { status: on, statuses: () => 'site:S1' }], 'site:S1'],
    ['different wants fall back to all', [{ status: on, statuses: () => 'site:S1' }, { status: on, statuses: () => 'kind:device' }], 'all'],
    ['a status listener that names nothing wants all', [{ status: on }], 'all'],
  ])('%s', (_name, listeners, expected) => {
    expect(statusSelector(listeners)).toBe(expected);
  });
});
