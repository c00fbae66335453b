// Every workspace package says what it needs: its package.json "dependencies" are exactly the
// third-party and workspace packages its sources (src/ and bin/, tests left out) import, and its
// "devDependencies" what only its tests and build script import. A package that imports one it does not
// declare works only because npm happens to hoist it; one that declares what it never imports drags it
// into whatever installs or bundles it. Each package has an "exports" map, and @wardwatch/transport's
// main entry stays clear of kafkajs, which only its "./kafka" entry brings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = join(ROOT, 'packages');

interface PackageJson {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The package a bare specifier names: `pg` for `pg/lib/x`, `@scope/name` for `@scope/name/sub`. */
export function packageOf(specifier: string): string {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/**
 * The packages a module imports: static imports and re-exports (type-only ones too: the compiler needs
 * the package), dynamic import() and require() of a literal. Relative paths and Node's own modules are
 * left out; comments and strings are not read as imports.
 */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
    if (fileName.startsWith('.') || fileName.startsWith('/') || isBuiltin(fileName)) continue;
    names.add(packageOf(fileName));
  }
  return [...names].sort();
}

/** Tests run by vitest, and what only tests import: contract suites (`*-contract.ts`), fixtures, testdata/. */
const isTestSource = (path: string) => /\.(test|bench|fixture)\.ts$/.test(path) || /-contract\.ts$/.test(path) || /[\\/]testdata[\\/]/.test(path);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : filesUnder(path);
    return /\.(ts|mts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** @types/pg serves pg, @types/scope__name serves @scope/name. */
const typesFor = (name: string) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;

interface Usage {
  dir: string;
  json: PackageJson;
  /** Imported by src/ and bin/ outside the tests. */
  runtime: Set<string>;
  /** Imported by tests and the package's own build script(s) at its root. */
  development: Set<string>;
}

function usageOf(dir: string): Usage {
  const json = JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')) as PackageJson;
  const runtime = new Set<string>();
  const development = new Set<string>();
  const sources = [...filesUnder(join(PACKAGES, dir, 'src')), ...filesUnder(join(PACKAGES, dir, 'bin'))];
  const scripts = readdirSync(join(PACKAGES, dir))
    .filter((name) => /\.m?js$/.test(name))
    .map((name) => join(PACKAGES, dir, name));
  for (const file of [...sources, ...scripts]) {
    const into = sources.includes(file) && !isTestSource(file) ? runtime : development;
    for (const name of importedPackages(readFileSync(file, 'utf8'))) if (name !== json.name) into.add(name);
  }
  for (const into of [runtime, development]) for (const name of [...into]) for (const needed of UNDECLARED_UPSTREAM[name] ?? []) into.add(needed);
  return { dir, json, runtime, development };
}

const dirs = readdirSync(PACKAGES).filter((dir) => existsSync(join(PACKAGES, dir, 'package.json')));
const rootJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson & { wardwatch?: { requiredButUndeclaredUpstream?: Record<string, string[]> } };
/**
 * Third-party packages that require() a package their own package.json does not declare
 * (@datadog/sketches-js loads protobufjs/minimal): whoever imports them declares it in their stead,
 * or a fresh install may not have it. Listed once, in the root package.json, for this test and the
 * CLI build's check alike.
 */
const UNDECLARED_UPSTREAM = rootJson.wardwatch?.requiredButUndeclaredUpstream ?? {};
const workspaceNames = new Set(dirs.map((dir) => (JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')) as PackageJson).name));

describe('reading a module’s imports', () => {
  it.each([
    ['a static import', "import { x } from 'yaml';", ['yaml']],
    ['a type-only import', "import type { Logger } from 'pino';", ['pino']],
    ['a subpath of a scoped package', "export { KafkaTransport } from '@wardwatch/transport/kafka';", ['@wardwatch/transport']],
    ['a subpath of a plain package', "import Pool from 'pg/lib/pool';", ['pg']],
    ['a dynamic import', "const { Kafka } = await import('kafkajs');", ['kafkajs']],
    ['a require', "const Database = require('better-sqlite3');", ['better-sqlite3']],
    ['a side-effect import', "import 'reflect-metadata';", ['reflect-metadata']],
    ['relative paths and Node’s modules', "import { a } from './a.ts';\nimport { b } from '../b.ts';\nimport { readFileSync } from 'node:fs';\nimport path from 'path';", []],
    ['comments and strings', "// measured from 'connect' to the first byte\n/* import z from 'zod' */\nconst s = `import q from 'nope'`;", []],
  ])('%s', (_, source, expected) => {
    expect(importedPackages(source)).toEqual(expected);
  });

  it.each([
    ['pg', '@types/pg'],
    ['@scope/name', '@types/scope__name'],
  ])('%s has its types in %s', (name, types) => {
    expect(typesFor(name)).toBe(types);
  });
});

describe.each(dirs.map(usageOf).map((usage) => [usage.json.name, usage] as const))('%s', (_, usage) => {
  const dependencies = usage.json.dependencies ?? {};
  const devDependencies = usage.json.devDependencies ?? {};

  it('declares in "dependencies" exactly what its sources import', () => {
    const declared = Object.keys(dependencies);
    expect({ undeclared: [...usage.runtime].filter((name) => !declared.includes(name)).sort(), unused: declared.filter((name) => !usage.runtime.has(name)).sort() }).toEqual({ undeclared: [], unused: [] });
  });

  it('declares in "devDependencies" what only its tests and build import, and nothing else', () => {
    const needed = [...usage.development].filter((name) => !usage.runtime.has(name));
    const used = new Set([...needed, ...[...usage.runtime, ...usage.development].map(typesFor)]);
    const declared = Object.keys(devDependencies);
    expect({
      undeclared: needed.filter((name) => !declared.includes(name)).sort(),
      unused: declared.filter((name) => !used.has(name)).sort(),
      alsoInDependencies: declared.filter((name) => name in dependencies).sort(),
    }).toEqual({ undeclared: [], unused: [], alsoInDependencies: [] });
  });

  it('asks for the same versions as the repository: any of a workspace package, the root’s range of the rest', () => {
    const rootRanges = { ...rootJson.devDependencies, ...rootJson.dependencies };
    const differing = Object.entries({ ...dependencies, ...devDependencies }).filter(([name, range]) =>
      workspaceNames.has(name) ? range !== '*' : name in rootRanges && rootRanges[name] !== range,
    );
    expect(differing).toEqual([]);
  });

  it('has an "exports" map whose entries exist, with "." among them', () => {
    const exports = usage.json.exports ?? {};
    expect(Object.keys(exports)).toContain('.');
    for (const target of Object.values(exports)) expect(existsSync(join(PACKAGES, usage.dir, target)), target).toBe(true);
  });
});

/** Every package a module and the modules it reaches by relative imports import. */
function reachedPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const name of importedPackages(source)) names.add(name);
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(resolve(dirname(file), fileName));
    }
  };
  visit(entry);
  return names;
}

describe('@wardwatch/transport', () => {
  const { exports } = JSON.parse(readFileSync(join(PACKAGES, 'transport/package.json'), 'utf8')) as PackageJson;

  it('keeps kafkajs out of its main entry and in its ./kafka entry', () => {
    expect(exports).toMatchObject({ '.': expect.any(String), './kafka': expect.any(String) });
    expect([...reachedPackages(join(PACKAGES, 'transport', exports!['.']!))]).not.toContain('kafkajs');
    expect([...reachedPackages(join(PACKAGES, 'transport', exports!['./kafka']!))]).toContain('kafkajs');
  });
});
