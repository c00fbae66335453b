import { describe, expect, it } from 'vitest';
import { MarkBook, MarkError } from './marks.ts';

describe('MarkBook', () => {
  it('times a start → end pair and forgets it', () => {
    const book = new MarkBook(600_000);
    book.start('epr-login', 1_000, 'NHS\\jsmith01');
    expect(book.openMarks()).toEqual(['epr-login']);
    expect(book.end('epr-login', 13_500)).toEqual({ name: 'epr-login', startedAt: 1_000, durationMs: 12_500, user: 'NHS\\jsmith01' });
    expect(book.openMarks()).toEqual([]);
  });

  it.each<[string, (b: MarkBook) => unknown, number, RegExp]>([
    ['an end without a start', (b) => b.end('epr-login', 5), 409, /no open mark "epr-login": send "start" first/],
    ['an end before its start', (b) => (b.start('x', 100), b.end('x', 50)), 400, /ends before it started/],
    ['a bad name', (b) => b.start('epr login; rm -rf', 1), 400, /mark name must be/],
  ])('refuses %s', (_name, act, status, message) => {
    const book = new MarkBook(600_000);
    let error: unknown;
    try {
      act(book);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MarkError);
    expect((error as MarkError).status).toBe(status);
    expect((error as MarkError).message).toMatch(message);
  });

  it('expires unmatched marks with a reason, and a restarted mark expires the first', () => {
    const book = new MarkBook(60_000);
    book.start('epr-login', 0);
    book.start('pacs-login', 30_000);
    expect(book.expire(59_999)).toEqual([]);
    expect(book.expire(60_000)).toEqual([{ name: 'epr-login', startedAt: 0, reason: 'no "end" within 60 s' }]);
    expect(book.openMarks()).toEqual(['pacs-login']);
    book.start('pacs-login', 40_000);
    expect(book.expired.at(-1)).toEqual({ name: 'pacs-login', startedAt: 30_000, reason: 'started again before it ended' });
    expect(book.end('pacs-login', 45_000).durationMs).toBe(5_000);
  });
});
