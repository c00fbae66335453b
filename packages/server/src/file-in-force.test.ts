import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileInForce, type FileInForceOptions } from './file-in-force.ts';

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-file-in-force-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class ListError extends Error {
  constructor(
    readonly problems: string[],
    file: string,
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

/** A file of names, one a line; a line with a space in it is refused, naming the line. */
function readList(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ListError([`cannot read the list (${(error as Error).message})`], file);
  }
  const lines = text.split('\n').filter(Boolean);
  const bad = lines.flatMap((line, i) => (line.includes(' ') ? [`line ${i + 1}: no spaces in a name`] : []));
  if (bad.length > 0) throw new ListError(bad, file);
  return lines;
}

function listFile(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const logs: Array<[string, string, object]> = [];
  const options: FileInForceOptions<string[]> = {
    read: readList,
    reloaded: (list, trigger) => ({ details: { names: list.length, trigger }, message: `list reloaded: ${list.length} names` }),
    notReloaded: (problems, list) => `list not reloaded, its ${list.length} names stay: ${problems.join('; ')}`,
    log: { info: (details, message) => logs.push(['info', message, details]), error: (details, message) => logs.push(['error', message, details]) },
  };
  return { file, logs, list: FileInForce.load(file, options), options };
}

describe('FileInForce', () => {
  it('follows its file: a valid change applies, an invalid one is reported once and the last valid stays, as does a missing file', async () => {
    const { file, logs, list } = listFile('follows.txt', 'a\nb\n');
    expect(list.value).toEqual(['a', 'b']);
    // A longer file: its size differs, so the change is seen whatever the file system's time resolution.
    writeFileSync(file, 'a\nb\ncc\n');
    await list.refresh();
    expect(list.value).toEqual(['a', 'b', 'cc']);
    expect(logs).toEqual([['info', 'list reloaded: 3 names', { file, names: 3, trigger: 'file changed' }]]);

    writeFileSync(file, 'a\nb c\n');
    await Promise.all([list.refresh(), list.refresh()]);
    await list.refresh();
    expect(list.value).toEqual(['a', 'b', 'cc']);
    expect(logs.slice(1)).toEqual([['error', 'list not reloaded, its 3 names stay: line 2: no spaces in a name', { file, problems: ['line 2: no spaces in a name'] }]]);

    unlinkSync(file);
    await list.refresh();
    await list.refresh();
    expect(list.value).toEqual(['a', 'b', 'cc']);
    expect(logs.slice(2).map(([level, message]) => [level, message])).toEqual([['error', expect.stringMatching(/^list not reloaded, its 3 names stay: cannot read the file \(ENOENT.*\); check the path$/)]]);

    writeFileSync(file, 'z\n');
    await list.refresh();
    expect(list.value).toEqual(['z']);
  });

  it('reloads at once when asked (SIGHUP), saying whether the new version is in force', () => {
    const { file, logs, list } = listFile('sighup.txt', 'a\n');
    writeFileSync(file, 'b\n');
    expect(list.reload()).toBe(true);
    expect(list.value).toEqual(['b']);
    expect(logs.at(-1)).toEqual(['info', 'list reloaded: 1 names', { file, names: 1, trigger: 'SIGHUP' }]);
    writeFileSync(file, 'b c\n');
    expect(list.reload()).toBe(false);
    expect(list.value).toEqual(['b']);
    unlinkSync(file);
    expect(list.reload()).toBe(false);
    expect(logs.at(-1)![1]).toMatch(/cannot read the file/);
  });

  it('gives the version in force at once (valueNow), after the same check for a change', () => {
    const { file, logs, list } = listFile('now.txt', 'a\n');
    writeFileSync(file, 'a\nbb\n');
    expect(list.valueNow()).toEqual(['a', 'bb']);
    writeFileSync(file, 'a b c\n');
    expect(list.valueNow()).toEqual(['a', 'bb']);
    expect(list.valueNow()).toEqual(['a', 'bb']);
    expect(logs.map(([level]) => level)).toEqual(['info', 'error']);
  });

  it('refuses at start with the reader\'s error: not valid, or not there', () => {
    const { options } = listFile('start.txt', 'a\n');
    writeFileSync(join(dir, 'bad.txt'), 'a b\n');
    expect(() => FileInForce.load(join(dir, 'bad.txt'), options)).toThrow(/line 1: no spaces in a name/);
    const error = (() => {
      try {
        FileInForce.load(join(dir, 'absent.txt'), options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ListError);
    expect((error as ListError).problems).toEqual([expect.stringMatching(/^cannot read the list \(ENOENT/)]);
  });
});
