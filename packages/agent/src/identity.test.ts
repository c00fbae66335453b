import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogonBody } from '@wardwatch/schema';
import { loadPseudonymKey, pseudonymise } from './identity.ts';

const KEY = 'trust-held-secret-key-0001';

describe('pseudonymisation', () => {
  it('is HMAC-SHA256 of the normalised account under the key (checked against openssl)', () => {
    const expected = execFileSync('openssl', ['dgst', '-sha256', '-hmac', KEY, '-r'], { input: 'jsmith01' }).toString().split(' ')[0];
    expect(pseudonymise('jsmith01', KEY)).toBe(expected);
  });

  it.each(['NHS\\jsmith01', 'JSMITH01', 'jsmith01@nhs.net', '  jsmith01 '])('treats %s as the same person', (account) => {
    expect(pseudonymise(account, KEY)).toBe(pseudonymise('jsmith01', KEY));
  });

  it('differs between users and between keys, and never contains the name', () => {
    const a = pseudonymise('jsmith01', KEY);
    expect(pseudonymise('ajones02', KEY)).not.toBe(a);
    expect(pseudonymise('jsmith01', 'another-trust-key-0002')).not.toBe(a);
    expect(a).not.toContain('jsmith');
    expect(LogonBody.safeParse({ totalMs: 1, ok: true, user: a }).success).toBe(true);
  });

  it('loads the key from a file or the environment, and refuses a weak one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-key-'));
    writeFileSync(join(dir, 'key'), `${KEY}\n`);
    expect(loadPseudonymKey({ keyFile: join(dir, 'key'), keyEnv: 'X' })?.toString()).toBe(KEY);
    expect(loadPseudonymKey({ keyEnv: 'WW_KEY' }, { WW_KEY: KEY })?.toString()).toBe(KEY);
    expect(loadPseudonymKey({ keyEnv: 'WW_KEY' }, {})).toBeUndefined();
    expect(() => loadPseudonymKey({ keyEnv: 'WW_KEY' }, { WW_KEY: 'short' })).toThrow(/at least 16 characters/);
  });
});
