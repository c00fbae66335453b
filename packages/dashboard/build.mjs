// Bundles the dashboard (Lit components + uPlot) into dist/ with esbuild. The bundle's name carries a
// hash of its content (app-<hash>.js), so the server can let browsers keep it for a year; index.html,
// which names it, is rewritten here and served for revalidation. The source map is written beside
// dist/, in sourcemaps/, for our own debugging: it is never served.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const maps = join(here, 'sourcemaps');
mkdirSync(dist, { recursive: true });
mkdirSync(maps, { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src/main.ts') },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'external',
  outdir: dist,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  loader: { '.css': 'text' },
});
const bundle = Object.keys(result.metafile.outputs).map((p) => basename(p)).find((name) => /^app-[A-Z0-9]+\.js$/.test(name));
if (!bundle) throw new Error('esbuild wrote no app-<hash>.js');
for (const name of readdirSync(dist)) if (name.endsWith('.map')) renameSync(join(dist, name), join(maps, name));
const page = readFileSync(join(here, 'src/index.html'), 'utf8');
if (!page.includes('src="app.js"')) throw new Error('src/index.html must load the bundle as src="app.js" (rewritten to its hashed name here)');
writeFileSync(join(dist, 'index.html'), page.replace('src="app.js"', `src="${bundle}"`));
copyFileSync(join(here, 'src/app.css'), join(dist, 'app.css'));
copyFileSync(join(here, 'src/favicon.svg'), join(dist, 'favicon.svg'));
// Earlier bundles stay a while for pages still loading them (a running server, a test); all but the
// three newest go.
const bundles = readdirSync(dist).filter((n) => /^app-[A-Z0-9]+\.js$/.test(n) || n === 'app.js').sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs);
for (const old of bundles.filter((n) => n !== bundle).slice(2)) for (const f of [old, `${old}.LEGAL.txt`, `${old}.map`]) rmSync(join(dist, f), { force: true });
rmSync(join(dist, 'app.js.map'), { force: true });
console.log(`dashboard built into ${dist} (${bundle})`);
