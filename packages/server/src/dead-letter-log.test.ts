// The dead-letter log and GET /api/dead-letters: the newest letters first, bounded by count and by
// bytes while the counts by reason stay exact, filtered by reason; for admins of every trust only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterOf, type DeadLetter } from '@wardwatch/schema';
import { appFixture, type AppFixture } from './app.fixture.ts';
import { DeadLetterLog, type DeadLetterPage } from './dead-letter-log.ts';
import type { Role } from './auth/roles.ts';
import { requestWith, sessionCookie, testSignOn } from './auth/sessions.fixture.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const letter = (i: number, reason = 'schema', original = `{"n":${i}}`): DeadLetter =>
  deadLetterOf({ reason, message: `letter ${i}`, topic: 'http', partition: -1, offset: '-1', at: NOW + i }, original);

describe('the dead-letter log', () => {
  it.each([
    { name: 'under both bounds', maxLetters: 10, maxBytes: 1e6, add: 4, kept: [3, 2, 1, 0] },
    { name: 'past the count', maxLetters: 3, maxBytes: 1e6, add: 7, kept: [6, 5, 4] },
    { name: 'past the bytes (each letter 154 weighed)', maxLetters: 100, maxBytes: 500, add: 6, kept: [5, 4, 3] },
    { name: 'one letter over the bytes alone is still kept', maxLetters: 100, maxBytes: 10, add: 2, kept: [1] },
  ])('keeps the newest letters, newest first: $name', ({ maxLetters, maxBytes, add, kept }) => {
    const log = new DeadLetterLog({ maxLetters, maxBytes, since: NOW });
    for (let i = 0; i < add; i++) log.add(letter(i));
    const page = log.page({ limit: 1000 });
    expect(page.letters.map((l) => l.message)).toEqual(kept.map((i) => `letter ${i}`));
    expect(page.kept).toBe(kept.length);
    expect(page.counts).toEqual({ schema: add });
  });

  it('counts every reason exactly while keeping a bounded tail, filters by reason, and says since when', () => {
    const log = new DeadLetterLog({ maxLetters: 5, since: NOW });
    log.add(deadLetterOf({ reason: 'malformed-json', message: 'old', topic: 'wardwatch.telemetry.v1', partition: 0, offset: '7', at: NOW - 3_600_000 }, '{"torn'));
    for (let i = 0; i < 2500; i++) log.add(letter(i, i % 5 === 0 ? 'future-timestamp' : 'schema'));
    const page = log.page({ limit: 2 });
    expect(page.counts).toEqual({ 'malformed-json': 1, 'future-timestamp': 500, schema: 2000 });
    expect(page.since).toBe(NOW - 3_600_000);
    expect(page.kept).toBe(5);
    expect(page.letters.map((l) => l.message)).toEqual(['letter 2499', 'letter 2498']);
    expect(log.page({ reason: 'future-timestamp', limit: 10 }).letters.map((l) => l.message)).toEqual(['letter 2495']);
    expect(log.page({ reason: 'too-late', limit: 10 }).letters).toEqual([]);
  });

  it('counts a reason wardwatch does not give as "other" (anything may write a Kafka topic), keeping the letter as written', () => {
    const log = new DeadLetterLog({ since: NOW });
    for (let i = 0; i < 50; i++) log.add(letter(i, `made-up-${i}`));
    const page = log.page({ limit: 1 });
    expect(page.counts).toEqual({ other: 50 });
    expect(page.letters[0]!.reason).toBe('made-up-49');
  });
});

describe('GET /api/dead-letters', () => {
  const signOn = testSignOn(() => NOW);
  let fixture: AppFixture;
  beforeAll(async () => {
    fixture = await appFixture({ signOn });
  });
  afterAll(() => fixture.close());
  const cookieFor = (role: Role, trusts = ['*']) => sessionCookie(signOn, { sub: `${role}-${trusts.join()}`, name: role, role, trusts });
  const get = async (path: string, role: Role, trusts?: string[]) => requestWith(fixture.app, await cookieFor(role, trusts), 'GET', path);

  it('serves the newest letters with what was sent and why, to admins of every trust', async () => {
    fixture.deadLetters.add(letter(1, 'schema', '{"seq":"seven"}'));
    fixture.deadLetters.add(letter(2, 'malformed-json', '{"v":1,"id":"broken'));
    const res = await get('/api/dead-letters?limit=1', 'admin');
    expect(res.status).toBe(200);
    const page = (await res.json()) as DeadLetterPage;
    expect(page).toMatchObject({ counts: { schema: 1, 'malformed-json': 1 }, kept: 2, since: NOW });
    expect(page.letters).toEqual([{ reason: 'malformed-json', message: 'letter 2', original: '{"v":1,"id":"broken', topic: 'http', partition: -1, offset: '-1', at: NOW + 2 }]);
    const schema = (await (await get('/api/dead-letters?reason=schema', 'admin')).json()) as DeadLetterPage;
    expect(schema.letters.map((l) => l.original)).toEqual(['{"seq":"seven"}']);
  });

  it('refuses operators, and admins of some trusts, saying why', async () => {
    expect((await get('/api/dead-letters', 'operator')).status).toBe(403);
    const oneTrust = await get('/api/dead-letters', 'admin', ['RXX']);
    expect(oneTrust.status).toBe(403);
    expect(((await oneTrust.json()) as { error: string }).error).toMatch(/dead letters cover every trust/);
  });

  it.each([
    ['?reason=bogus', /^reason must be one of malformed-json, .*; got "bogus"$/],
    ['?limit=0', /^limit must be a whole number from 1 to 1000; got "0"$/],
    ['?limit=5000', /got "5000"/],
    ['?limit=ten', /got "ten"/],
  ])('answers %s with 400 and why', async (query, error) => {
    const res = await get(`/api/dead-letters${query}`, 'admin');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(error);
  });
});
