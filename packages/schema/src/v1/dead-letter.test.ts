import { describe, expect, it } from 'vitest';
import { DeadLetter, deadLetterOf } from './dead-letter.ts';

const where = { reason: 'malformed-json', message: 'Unexpected end of JSON input', topic: 't', partition: 0, offset: '7', at: 1 };
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('deadLetterOf', () => {
  it.each([
    ['short text, kept whole', 'abc', 8, 'abc', undefined],
    ['short bytes, kept whole', utf8('{"v":1'), 8, '{"v":1', undefined],
    ['text exactly at the bound', 'abcdefgh', 8, 'abcdefgh', undefined],
    ['long text, cut with its size', 'abcdefghij', 8, 'abcdefgh', 10],
    ['long bytes, cut with their size', utf8('x'.repeat(100)), 8, 'xxxxxxxx', 100],
    // "é" is two bytes, "€" three: a cut never splits a character.
    ['a two-byte character at the cut', 'abcdefgé', 8, 'abcdefg', 9],
    ['a three-byte character at the cut', 'abcdef€x', 8, 'abcdef', 10],
    ['a cut after a whole three-byte character', 'abcde€xy', 8, 'abcde€', 10],
  ])('%s', (_name, original, max, kept, size) => {
    const letter = deadLetterOf(where, original, max);
    expect(letter.original).toBe(kept);
    expect(letter.originalBytes).toBe(size);
    expect(DeadLetter.parse(letter)).toEqual(letter);
  });

  it('keeps a 5 MB line to its first 16 kB by default', () => {
    const letter = deadLetterOf(where, utf8('{"pad":"' + 'x'.repeat(5 * 2 ** 20) + '"}'));
    expect(utf8(letter.original).byteLength).toBe(16 * 1024);
    expect(letter.originalBytes).toBe(5 * 2 ** 20 + 10);
  });

  it('is one shape: a letter missing where it came from is refused', () => {
    expect(DeadLetter.safeParse({ reason: 'x', message: 'y', original: 'z' }).success).toBe(false);
  });
});
