// No import cycles: between workspace packages (one-way data flow: schema → … → server → cli), and
// between the modules of one package. A cycle makes load order matter (a class read before its module
// ran is undefined) and two files that can only change together. Type-only imports are erased at
// build time and are left out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = join(ROOT, 'packages');

function sourcesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') out.push(...sourcesOf(path));
    } else if (/\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && !name.startsWith('test-')) {
      out.push(path);
    }
  }
  return out;
}

/** Specifiers of the value imports and re-exports of a module (`import type` / `export type` left out). */
export function valueImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /^\s*(import|export)\s+(?!type\s)([^;]*?)\s+from\s+['"]([^'"]+)['"]/gms;
  for (const match of source.matchAll(statement)) {
    const clause = match[2]!;
    // `import { type A, type B } from …` is type-only too.
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (braces && braces[1]!.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
    specifiers.push(match[3]!);
  }
  for (const match of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!);
  return specifiers;
}

/** Strongly connected components with more than one member (or a self-loop): the cycles. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const packages = readdirSync(PACKAGES).filter((name) => statSync(join(PACKAGES, name, 'src'), { throwIfNoEntry: false })?.isDirectory());
const nameOf = new Map(packages.map((dir) => [JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')).name as string, dir]));

describe('import cycles', () => {
  it.each([
    ['a two-module cycle', [['a', ['b']], ['b', ['a']]], [['a', 'b']]],
    ['a self-import', [['a', ['a']], ['b', []]], [['a']]],
    ['a chain', [['a', ['b']], ['b', ['c']], ['c', []]], []],
    ['a three-module cycle beside a chain', [['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]], [['a', 'b', 'c']]],
  ] as Array<[string, Array<[string, string[]]>, string[][]]>)('finds %s', (_, edges, expected) => {
    expect(cyclesOf(new Map(edges))).toEqual(expected);
  });

  it('reads value imports and leaves type-only ones out', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import { type C, type D } from './c.ts';",
      "import { type E, f } from './e.ts';",
      "export { g } from './g.ts';",
      "export type { H } from './h.ts';",
      "import './side-effect.ts';",
      'import {\n  multi,\n  line,\n} from "./m.ts";',
    ].join('\n');
    expect(valueImports(source).sort()).toEqual(['./a.ts', './e.ts', './g.ts', './m.ts', './side-effect.ts']);
  });

  it('between workspace packages: none', () => {
    const graph = new Map<string, string[]>();
    for (const dir of packages) {
      const deps = new Set<string>();
      for (const file of sourcesOf(join(PACKAGES, dir, 'src'))) {
        for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
          const name = specifier.split('/').slice(0, 2).join('/');
          const target = nameOf.get(name);
          if (target && target !== dir) deps.add(target);
        }
      }
      graph.set(dir, [...deps]);
    }
    expect(graph.size).toBeGreaterThan(5);
    expect(cyclesOf(graph)).toEqual([]);
  });

  it.each(packages)('between the modules of %s: none', (dir) => {
    const files = sourcesOf(join(PACKAGES, dir, 'src'));
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const targets = valueImports(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolve(dirname(file), specifier))
        .filter((target) => known.has(target));
      graph.set(file.slice(ROOT.length + 1), targets.map((target) => target.slice(ROOT.length + 1)));
    }
    expect(cyclesOf(graph)).toEqual([]);
  });

  // The data flows one way (docs/architecture.md): the server reads what the processor publishes and
  // stores, through the contracts, the sketch format and the status rules — never the processor itself.
  it('the server does not depend on the processor', () => {
    const server = JSON.parse(readFileSync(join(PACKAGES, 'server', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(server.dependencies)).not.toContain('@wardwatch/processor');
    expect(Object.keys(server.dependencies)).toContain('@wardwatch/status-rules');
  });
});
