// Compiles the `wardwatch` command into JavaScript that Node 20 runs as it is, with no TypeScript
// loader at run time:
//
//   dist/main.mjs              the command (src/main.ts)
//   dist/processor-worker.mjs  the embedded processor's worker thread (src/processor-worker.ts), at the
//                              path processor-thread.ts starts it from (./processor-worker.mjs beside
//                              the code that names it)
//   dist/demo-history-worker.mjs  the demo history's worker thread (src/demo-history-worker.ts), the
//                              same way (demo-history-thread.ts)
//   dist/default-slos.yaml     the default service levels, where @wardwatch/slo looks for them
//
// The workspace packages (@wardwatch/*) are compiled in; every other package stays an import, resolved
// from node_modules at run time, and must be one of the root package.json's "dependencies" — the build
// fails naming any that is not (or any declared there that nothing imports), so the packed tarball
// installs exactly what the command needs.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const dist = join(here, 'dist');

/** The package a bare import names: `pg` for `pg/lib/x`, `@scope/name` for `@scope/name/sub`. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Everything that is not a workspace package, a relative path or a Node built-in stays external. */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@wardwatch/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * @wardwatch/dashboard finds its built files at `../dist/` from its own module. Compiled into
 * dist/main.mjs that would be packages/cli/dist/ — this package's own code, which must never be served —
 * so the bundle names the dashboard's dist/ from where this one sits (packages/cli/dist →
 * packages/dashboard/dist), the same in the repository and in an installed tarball.
 */
const dashboardFromBundle = {
  name: 'dashboard-from-bundle',
  setup(b) {
    b.onResolve({ filter: /^@wardwatch\/dashboard$/ }, () => ({ path: 'dashboard', namespace: 'wardwatch-dashboard' }));
    b.onLoad({ filter: /.*/, namespace: 'wardwatch-dashboard' }, () => ({
      loader: 'js',
      contents: "import { fileURLToPath } from 'node:url';\nexport const dashboardDistDir = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));\n",
    }));
  },
};

const result = await build({
  entryPoints: {
    main: join(here, 'src/main.ts'),
    'processor-worker': join(here, 'src/processor-worker.ts'),
    'demo-history-worker': join(here, 'src/demo-history-worker.ts'),
  },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  // Whole files rather than shared chunks: fixed names, so each build replaces the last one's files
  // (below, one rename each) and a command starting meanwhile, or a second build, never sees a mix.
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The sources import with .ts extensions (NodeNext resolution); esbuild reads them as they are.
  resolveExtensions: ['.ts', '.mjs', '.js', '.json'],
  // Not minified: stack traces name the functions and lines read like the sources.
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [dashboardFromBundle, thirdPartyExternal],
});

const imported = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const { path, external } of output.imports) if (external && !path.startsWith('node:')) imported.add(packageOf(path));
}
const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = new Set(Object.keys(rootJson.dependencies ?? {}));
// Some modules load a file of a package with a require() of their own (createRequire), which esbuild
// leaves as it is (renamed require2, require3, … when several modules name theirs alike): those count
// as imports too.
const requireCall = /\brequire\d*\(\s*["']([^"'./][^"']*)["']\s*\)/g;
for (const file of result.outputFiles) {
  for (const [, specifier] of file.text.matchAll(requireCall)) if (!specifier.startsWith('node:')) imported.add(packageOf(specifier));
}
// Packages that require() one their own package.json does not declare: it is needed where they are
// (the list is the root package.json's, shared with tests/package-deps.test.ts).
for (const [name, needed] of Object.entries(rootJson.wardwatch?.requiredButUndeclaredUpstream ?? {})) {
  if (imported.has(name)) for (const extra of needed) imported.add(extra);
}
const undeclared = [...imported].filter((name) => !declared.has(name)).sort();
const unused = [...declared].filter((name) => !imported.has(name)).sort();
if (undeclared.length > 0 || unused.length > 0) {
  throw new Error(
    `the root package.json's "dependencies" must be what dist/ imports:` +
      (undeclared.length ? ` add ${undeclared.join(', ')};` : '') +
      (unused.length ? ` remove ${unused.join(', ')} (nothing imports it);` : ''),
  );
}

mkdirSync(dist, { recursive: true });
const files = [...result.outputFiles.map((f) => ({ path: f.path, contents: f.contents })), { path: join(dist, 'default-slos.yaml'), contents: readFileSync(join(here, '../slo/src/default-slos.yaml')) }];
for (const { path, contents } of files) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents, { mode: 0o644 });
  renameSync(partial, path);
}
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const total = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`wardwatch built into ${dist}: ${Object.keys(result.metafile.outputs).length} files, ${kib(total)}; imports ${[...imported].sort().join(', ')}`);
