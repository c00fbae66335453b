// Every settings file wardwatch reads tells its problems alike: the field as the file writes it, what
// it must be in the file's words, and what it holds — never the validator's own "Invalid input:
// expected array, received number", and never a secret's value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '@wardwatch/agent';
import { loadInventory, parseEvidenceConfig } from '@wardwatch/evidence';
import { parseAuthConfig, parseEstateYaml, parseIngestTokens } from '@wardwatch/server';
import { parseSloConfig } from '@wardwatch/slo';

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-settings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const problemsOf = (read: () => unknown): string[] => {
  try {
    read();
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
  throw new Error('read without a problem');
};

const inventory = (text: string) => {
  const file = join(scratch, 'inventory.yaml');
  writeFileSync(file, text);
  return () => loadInventory(file);
};

const AUTH = 'issuer: http://127.0.0.1:9/\nclientId: wardwatch\nredirectUrl: http://127.0.0.1:8080/auth/callback\nroles: { claim: groups }\n';

describe('settings files: problems in the file\'s words', () => {
  it.each([
    ['SLO file', 'slos: must be a list of SLO definitions; got 3', () => parseSloConfig('slos: 3\n')],
    ['SLO file', 'slos[0].indicator: must be an indicator such as { kind: logon } (kind one of latency, logon, availability); got 4', () => parseSloConfig('slos:\n  - { name: a, scope: { kind: trust }, indicator: 4, objective: 0.9 }\n')],
    ['evidence settings', 'logons: must be a set of fields (key: value); got 3', () => parseEvidenceConfig('logons: 3\n')],
    ['evidence settings', 'staffMix: must be a set of key: value entries; got ["nurseBand5"]', () => parseEvidenceConfig('staffMix: [nurseBand5]\n')],
    ['inventory', 'sites: must be a list; got 3', inventory('sites: 3\n')],
    ['estate register', 'sites[0].trust: must be text; got 7', () => parseEstateYaml('sites:\n  - { id: S1, trust: 7 }\n')],
    ['ingest tokens', 'tokens: must be a list of {device or site, sha256} entries; got {"a":1}', () => parseIngestTokens('tokens: { a: 1 }\n')],
    ['auth', 'userinfo: must be true or false; got "sometimes"', () => parseAuthConfig(`${AUTH}userinfo: sometimes\n`)],
    ['agent', 'checks: must be a list; got 4', () => parseAgentConfig('identity: { trust: RXX, site: S1, ward: W1 }\ndelivery: { http: { url: "http://127.0.0.1:8080/api/ingest" } }\nchecks: 4\n')],
  ])('%s: %s', (_file, problem, read) => {
    const problems = problemsOf(read);
    expect(problems).toContain(problem);
    for (const line of problems) expect(line).not.toMatch(/Invalid input|expected \w+, received/);
  });

  it.each([
    ['auth: the session secret', () => parseAuthConfig(`${AUTH}session: { secret: short-but-secret }\n`), 'short-but-secret', 'session.secret: must be at least 32 characters'],
    ['auth: the client secret', () => parseAuthConfig(`${AUTH}clientSecret: ""\n`), undefined, 'clientSecret: '],
    ['ingest tokens: a token pasted for its hash', () => parseIngestTokens('tokens:\n  - { site: S1, trust: RXX, sha256: wwi_pasted-token-value }\n'), 'wwi_pasted-token-value', 'tokens[0].sha256: must be the SHA-256'],
    ['agent: the ingest token', () => parseAgentConfig('identity: { trust: RXX, site: S1, ward: W1 }\ndelivery: { http: { url: "http://127.0.0.1:8080/api/ingest", token: 42 } }\n'), '42', 'delivery.http.token: must be text'],
    ['auth: the examples\u2019 placeholder session key', () => parseAuthConfig(`${AUTH}session: { secret: change-me-to-48-random-bytes-in-base64-from-openssl-rand }\n`), 'change-me-to-48', 'session.secret: is a placeholder, not a secret: make one with openssl rand -base64 48'],
  ])('never echoes a secret: %s', (_case, read, secret, problem) => {
    const problems = problemsOf(read);
    const line = problems.find((p) => p.startsWith(problem));
    expect(line, problems.join('\n')).toMatch(/got a value \(not shown: it may hold a secret\)$/);
    if (secret) expect(problems.join('\n')).not.toContain(secret);
  });
});
