import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configField, parseConfig, partFields, partItems } from './index.ts';

const schema = z.strictObject({
  name: z.string(),
  port: z.number().int().optional(),
  tags: z.array(z.string()).optional(),
  limits: z.record(z.string(), z.number()).optional(),
  window: z.strictObject({ from: z.string() }).optional(),
  enabled: z.boolean().optional(),
  password: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
  objective: z.number({ error: 'must be a number between 0 and 1' }).optional(),
});

const problemsOf = (raw: unknown, options?: Parameters<typeof parseConfig>[2]) => {
  const result = parseConfig(schema, raw, options);
  return result.ok ? [] : result.problems;
};

describe('a settings file\'s problems, one line each in the file\'s words', () => {
  it.each([
    [{}, 'name: must be text; missing'],
    [{ name: 3 }, 'name: must be text; got 3'],
    [{ name: 'a', port: 'http' }, 'port: must be a number; got "http"'],
    [{ name: 'a', tags: 'x' }, 'tags: must be a list; got "x"'],
    [{ name: 'a', tags: ['x', 4] }, 'tags[1]: must be text; got 4'],
    [{ name: 'a', limits: 5 }, 'limits: must be a set of key: value entries; got 5'],
    [{ name: 'a', window: [] }, 'window: must be a set of fields (key: value); got []'],
    [{ name: 'a', enabled: 'yes' }, 'enabled: must be true or false; got "yes"'],
    [{ name: 'a', colour: 'red' }, '(top level): unknown field "colour"; check the spelling'],
    [{ name: 'a', window: { from: 'x', to: 'y' } }, 'window: unknown field "to"; check the spelling'],
    // A schema's own message wins over the wording for its type.
    [{ name: 'a', objective: 'high' }, 'objective: must be a number between 0 and 1; got "high"'],
    [null, '(top level): must be a set of fields (key: value); got null'],
  ])('%j: %s', (raw, problem) => {
    expect(problemsOf(raw)).toEqual([problem]);
  });

  it('never echoes a secret field, and says what to write after an unknown field when told', () => {
    const options = { secret: (path: readonly PropertyKey[]) => path.includes('password'), unknownFieldHint: () => 'the file has name, port, tags' };
    expect(problemsOf({ name: 'a', password: 'hunter2' }, options)).toEqual(['password: must be at least 8 characters; got a value (not shown: it may hold a secret)']);
    expect(problemsOf({ name: 'a', pasword: 'x' }, options)).toEqual(['(top level): unknown field "pasword"; the file has name, port, tags']);
  });

  it('gives the value when it is valid', () => {
    expect(parseConfig(schema, { name: 'a', port: 80 })).toEqual({ ok: true, value: { name: 'a', port: 80 } });
  });

  it.each([
    [['slos', 2, 'objective'], 'slos[2].objective'],
    [['tokens', 0], 'tokens[0]'],
    [[], ''],
  ])('writes the path %j as %s', (path, text) => {
    expect(configField(path)).toBe(text);
  });

  it('reads a part-parsed value only where it has the shape', () => {
    expect(partFields({ a: 1 })).toEqual({ a: 1 });
    expect([partFields([1]), partFields(null), partFields('x')]).toEqual([{}, {}, {}]);
    expect(partItems([1, 2])).toEqual([1, 2]);
    expect([partItems({ a: 1 }), partItems(undefined)]).toEqual([[], []]);
  });
});
