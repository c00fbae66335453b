import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestingDepth, splitBody, type BodyItem, type BodyLimits } from './ingest-body.ts';

const LIMITS: BodyLimits = { maxItemChars: 200, maxDepth: 4, keptCharsOfLongItem: 10 };
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const verdicts = (items: BodyItem[] | { error: string }) =>
  Array.isArray(items) ? items.map((i) => i.refusal?.reason ?? JSON.stringify(i.value)) : items.error;

describe('nestingDepth', () => {
  it.each([
    ['a number', '1', 0],
    ['an object', '{"a":1}', 1],
    ['an event', '{"body":{"phases":{"a":1}}}', 3],
    ['brackets inside strings do not count', '{"a":"[[[{{{","b":"\\"[["}', 1],
    ['siblings are not depth', '[[],[],[[]]]', 3],
    ['stops counting past the limit', deep(10_000), 5],
  ])('%s', (_name, text, depth) => {
    expect(nestingDepth(text, 4)).toBe(depth);
  });
});

describe('splitBody', () => {
  it.each<[string, string, ReturnType<typeof verdicts>]>([
    ['NDJSON lines', '{"a":1}\n\n{"b":2}\n', ['{"a":1}', '{"b":2}']],
    ['a single object', ' {"a":1} ', ['{"a":1}']],
    ['an array', '[{"a":1}, {"b":[1,2]} ,3]', ['{"a":1}', '{"b":[1,2]}', '3']],
    ['an empty array', '[ ]', []],
    ['commas and brackets inside strings', '[{"a":"x,]"},{"b":"\\",["}]', ['{"a":"x,]"}', '{"b":"\\",["}']],
    ['a broken element beside good ones', '[{"a":1},{"a":},{"c":3}]', ['{"a":1}', 'malformed-json', '{"c":3}']],
    ['an empty trailing element', '[{"a":1},]', ['{"a":1}', 'malformed-json']],
    ['a deep line beside good ones', `{"a":1}\n${deep(50)}\n{"b":2}`, ['{"a":1}', 'too-deep', '{"b":2}']],
    ['a deep element beside good ones', `[{"a":1},${deep(50)},{"b":2}]`, ['{"a":1}', 'too-deep', '{"b":2}']],
    ['a deep object in an element', `[{"a":${'{"x":'.repeat(9)}1${'}'.repeat(9)}},{"b":2}]`, ['too-deep', '{"b":2}']],
    ['depth at the limit', `[${deep(4)}]`, ['[[[[]]]]']],
    ['a long line beside a good one', `{"s":"${'x'.repeat(300)}"}\n{"a":1}`, ['too-long', '{"a":1}']],
    ['a long element beside a good one', `[{"s":"${'x'.repeat(300)}"},{"a":1}]`, ['too-long', '{"a":1}']],
    ['an unclosed array', '[{"a":1},{"b":2}', expect.stringMatching(/closing "\]" was not found/)],
    ['an unterminated string', '[{"a":"1}]', expect.stringMatching(/closing "\]" was not found/)],
    ['text after the array', '[{"a":1}] {"b":2}', expect.stringMatching(/text follows its closing "\]"/)],
    ['a brace closing the array', '[{"a":1}}', expect.stringMatching(/not a valid JSON array/)],
    ['an empty body', '  \n', expect.stringMatching(/empty/)],
    ['one event pretty-printed over lines', '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n', ['{"a":1,"b":[2]}']],
    ['one event pretty-printed, CRLF', '{\r\n  "a": 1\r\n}', ['{"a":1}']],
    ['two pretty-printed events one after the other: one broken element', '{\n  "a": 1\n}\n{\n  "b": 2\n}', ['malformed-json']],
  ])('%s', (_name, body, expected) => {
    expect(verdicts(splitBody(body, LIMITS))).toEqual(expected);
  });

  it('numbers items in order and keeps each one\'s own text', () => {
    const items = splitBody('[ {"a":1} ,{"s":"' + 'y'.repeat(300) + '"}]', LIMITS) as BodyItem[];
    expect(items.map((i) => i.index)).toEqual([0, 1]);
    expect(items[0]!.raw).toBe('{"a":1}');
    // An over-long item keeps only its start for the dead-letter topic.
    expect(items[1]!.raw).toBe('{"s":"yyyy');
    expect(items[1]!.refusal!.message).toMatch(/^308 characters, more than the 200/);
  });
});

describe('splitBody against JSON.parse (property-based)', () => {
  const roomy: BodyLimits = { maxItemChars: 1_000_000, maxDepth: 64, keptCharsOfLongItem: 10 };

  it('cuts any JSON array into exactly the elements JSON.parse finds, whatever the strings hold', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 8 }), fc.constantFrom('', ' ', '\n  '), (elements, space) => {
        const text = JSON.stringify(elements, null, space);
        const items = splitBody(text, roomy);
        expect(Array.isArray(items)).toBe(true);
        expect((items as BodyItem[]).map((i) => i.value)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('measures the depth JSON itself has', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        expect(nestingDepth(JSON.stringify(value), 100)).toBe(depthOf(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), (text, asArray) => {
        const body = asArray ? `[${text}` : text;
        const items = splitBody(body, LIMITS);
        if (Array.isArray(items)) for (const item of items) expect(item.value !== undefined || item.refusal !== undefined).toBe(true);
        else expect(items.error).toMatch(/empty|not a valid JSON array/);
      }),
      { numRuns: 2000 },
    );
  });
});
