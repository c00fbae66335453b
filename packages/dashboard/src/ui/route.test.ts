import { describe, expect, it } from 'vitest';
import { scopeAddress, siteAddress } from './route.ts';

describe('scopeAddress', () => {
  it.each([
    ['site:RXX03', '#/sites/RXX03'],
    ['ward:RXX03/W01', '#/scopes/ward%3ARXX03%2FW01'],
    ['ap:3c:a8:2a:00:00:21', '#/scopes/ap%3A3c%3Aa8%3A2a%3A00%3A00%3A21'],
    ['device:RXX03-W01-D01', '#/scopes/device%3ARXX03-W01-D01'],
    ['app:RXX03/epr', '#/scopes/app%3ARXX03%2Fepr'],
    ['app:epr', undefined],
    ['trust:RXX', undefined],
  ])('%s → %s', (key, address) => {
    expect(scopeAddress(key)).toBe(address);
  });
});

describe('siteAddress', () => {
  it.each([
    ['RXX03', '#/sites/RXX03'],
    ['A B/C', '#/sites/A%20B%2FC'],
  ])('%s → %s', (id, address) => {
    expect(siteAddress(id)).toBe(address);
  });
});
