// Bundles the dashboard (Lit components + uPlot) into dist/ with esbuild. The entry (app-<hash>.js)
// holds what the site grid and the wall need; the other pages (site and scope pages with their
// charts, alerts, SLOs, evidence, devices) are chunks loaded when first shown, and code they share
// with the entry sits in chunk-<hash>.js files that index.html names for preloading, so the browser
// fetches them beside the entry rather than after it. Every name carries a hash of its content, so
// the server can let browsers keep them for a year; index.html, which names them, is rewritten here
// and served for revalidation. Every text file is also written brotli- (quality 11) and gzip-
// compressed beside itself (.br, .gz), for the server to send as it is to a browser that accepts
// either. Source maps are written beside dist/, in sourcemaps/, for our own debugging: they are
// never served. The page's own styles (src/app.css and the first frame's, src/ui/markup/
// first-frame-css.ts: the grid's rules scoped to the frame the server writes into the page) go inline
// in index.html, so that nothing but the page stands between the browser and its first paint; the
// server allows that one <style> by its hash in the Content-Security-Policy (server/src/dashboard-page.ts).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const maps = join(here, 'sourcemaps');
mkdirSync(dist, { recursive: true });
mkdirSync(maps, { recursive: true });

const HASHED = /^(app|chunk)-[A-Z0-9]+\.js$/;
const result = await build({
  entryPoints: { app: join(here, 'src/main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'external',
  outdir: dist,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  loader: { '.css': 'text' },
});
// The browser gets the schema package's types and pure helpers, never its validators: one import of
// a zod schema from a helper's module once put 460 kB of zod into a chunk, unnoticed.
const validators = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([p, i]) => /node_modules\/(zod|ajv)\//.test(p) && i.bytesInOutput > 0).map(([p]) => p));
if (validators.length > 0) throw new Error(`the dashboard bundles a validator (${validators[0]}): import pure helpers from a @wardwatch/schema module without zod`);
const outputs = result.metafile.outputs;
const entryPath = Object.keys(outputs).find((p) => /^app-[A-Z0-9]+\.js$/.test(basename(p)));
if (!entryPath) throw new Error('esbuild wrote no app-<hash>.js');
const bundle = basename(entryPath);
// The chunks the entry imports statically, and theirs in turn: fetched beside the entry.
const preload = new Set();
const visit = (path) => {
  for (const imported of outputs[path]?.imports ?? []) {
    if (imported.kind !== 'import-statement' || preload.has(imported.path)) continue;
    preload.add(imported.path);
    visit(imported.path);
  }
};
visit(entryPath);
for (const name of readdirSync(dist)) if (name.endsWith('.map')) renameSync(join(dist, name), join(maps, name));
const page = readFileSync(join(here, 'src/index.html'), 'utf8');
if (!page.includes('<script type="module" src="app.js"></script>')) throw new Error('src/index.html must load the bundle as <script type="module" src="app.js"></script> (rewritten to its hashed name here)');
if (!page.includes('<link rel="stylesheet" href="app.css" />')) throw new Error('src/index.html must link its styles as <link rel="stylesheet" href="app.css" /> (put inline here)');
// The first frame's styles, from the same rule texts the components use: compiled and read here.
// Bundled as for the browser (the package fields it resolves, unused code dropped), then run here.
const frameCss = await build({ entryPoints: [join(here, 'src/ui/markup/first-frame-css.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'warning' });
const { FIRST_FRAME_CSS } = await import(`data:text/javascript;base64,${Buffer.from(frameCss.outputFiles[0].text).toString('base64')}`);
const styles = `${readFileSync(join(here, 'src/app.css'), 'utf8')}\n${FIRST_FRAME_CSS}\n`;
if (styles.includes('</style')) throw new Error('the page styles must not contain </style');
const preloads = [...preload].map((p) => `<link rel="modulepreload" href="${basename(p)}" />\n    `).join('');
writeFileSync(
  join(dist, 'index.html'),
  page.replace('<link rel="stylesheet" href="app.css" />', () => `<style>${styles}</style>`).replace('<script type="module" src="app.js"></script>', () => `${preloads}<script type="module" src="${bundle}"></script>`),
);
rmSync(join(dist, 'app.css'), { force: true });
copyFileSync(join(here, 'src/favicon.svg'), join(dist, 'favicon.svg'));

// Precompressed copies of the text files: the bundle's and the page's.
const TEXT = /\.(js|css|html|svg|txt)$/;
for (const name of readdirSync(dist).filter((n) => TEXT.test(n))) {
  const isOld = HASHED.test(name.replace(/\.LEGAL\.txt$/, '')) && !Object.keys(outputs).some((p) => name.startsWith(basename(p)));
  if (isOld) continue;
  const body = readFileSync(join(dist, name));
  writeFileSync(join(dist, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(join(dist, `${name}.gz`), gzipSync(body, { level: 9 }));
}

// Earlier builds' files stay a while for pages still loading them (a running server, a test): those
// of the three builds before this one, as listed in sourcemaps/builds.json; older hashed files go.
const written = readdirSync(dist).filter((n) => Object.keys(outputs).some((p) => n.replace(/\.(br|gz)$/, '') === basename(p) || n.replace(/\.(br|gz)$/, '') === `${basename(p)}.LEGAL.txt`));
const ledger = join(maps, 'builds.json');
let builds = [];
try {
  builds = JSON.parse(readFileSync(ledger, 'utf8'));
} catch {}
builds = [written, ...builds].slice(0, 4);
writeFileSync(ledger, `${JSON.stringify(builds)}\n`);
const kept = new Set(builds.flat());
for (const name of readdirSync(dist)) if (HASHED.test(name.replace(/\.(br|gz)$/, '').replace(/\.LEGAL\.txt$/, '')) && !kept.has(name)) rmSync(join(dist, name), { force: true });
for (const stale of ['app.js', 'app.js.map']) rmSync(join(dist, stale), { force: true });
for (const name of readdirSync(maps)) if (name.endsWith('.map') && !readdirSync(dist).includes(name.replace(/\.map$/, ''))) rmSync(join(maps, name), { force: true });
// Copies of files no longer there (an old page's stylesheet, say).
for (const name of readdirSync(dist)) if (/\.(br|gz)$/.test(name) && !readdirSync(dist).includes(name.replace(/\.(br|gz)$/, ''))) rmSync(join(dist, name), { force: true });
console.log(`dashboard built into ${dist} (${bundle}${preload.size > 0 ? ` + ${[...preload].map((p) => basename(p)).join(', ')}` : ''})`);
