import { describe, expect, it } from 'vitest';
import { siteNameOf, siteNames } from './scope-label.ts';

const names = siteNames([{ id: 'RXX03', name: 'Riverside Community Hospital' }, { id: 'RXX01', name: "St Aldhelm's Hospital" }]);

describe('siteNameOf', () => {
  it.each([
    ['site:RXX03', 'Riverside Community Hospital'],
    ['site:RXX01', "St Aldhelm's Hospital"],
    ['site:RXX99', undefined],
    ['app:epr', undefined],
    ['trust', undefined],
    ['RXX03', undefined],
  ])('%s → %s', (scope, name) => {
    expect(siteNameOf(scope, names)).toBe(name);
  });
});
