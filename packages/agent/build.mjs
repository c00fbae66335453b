// Builds the workstation agent into one file that needs nothing but Node 20:
//
//   node build.mjs            dist/wardwatch-agent.mjs   (ESM, #!/usr/bin/env node; everything bundled:
//                                                        @wardwatch/schema, zod, yaml, and for Kafka
//                                                        delivery @wardwatch/transport/kafka and
//                                                        kafkajs, which the agent imports only when
//                                                        delivery.kafka is set)
//   node build.mjs --sea      also dist/wardwatch-agent.cjs (CommonJS, for a Node single executable
//                             application) and dist/wardwatch-agent[.exe]: a copy of this node binary
//                             with the agent injected (`node --experimental-sea-config`, then postject)
//
// Everything is bundled, nothing is external except Node's own modules, so the file runs from any
// directory with no node_modules next to it. Nothing is rewritten on the way: @wardwatch/transport's main
// entry has no Kafka in it, and @wardwatch/schema and @wardwatch/transport declare "sideEffects": false,
// so the modules the agent does not use (Ajv and its compiled validator, the in-process bus) are left
// out rather than run at start-up.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const entry = join(here, 'src/main.ts');
const wantSea = process.argv.includes('--sea');

const common = {
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The sources import with .ts extensions and NodeNext resolution; esbuild reads them as they are.
  resolveExtensions: ['.ts', '.mjs', '.js', '.cjs', '.json'],
  legalComments: 'none',
  logLevel: 'warning',
  // Whitespace and syntax only: identifiers keep their names, so a stack trace still names functions.
  // Dropping the comments also leaves the file pure ASCII, which V8 keeps as a one-byte string —
  // half the memory of the same source with one "→" in a comment (measured: 60 MiB RSS → 51 MiB).
  minifySyntax: true,
  minifyWhitespace: true,
  // dist/wardwatch-agent.mjs.map, read only under `node --enable-source-maps` (TypeScript lines in
  // stack traces); the agent runs without it.
  sourcemap: 'linked',
  metafile: true,
};

mkdirSync(dist, { recursive: true });

// ESM: kafkajs is CommonJS and require()s Node's modules; inside an ES module there is no `require`,
// so the banner makes one.
const esm = await build({
  ...common,
  format: 'esm',
  outfile: join(dist, 'wardwatch-agent.mjs'),
  // No #! here: esbuild keeps main.ts's own "#!/usr/bin/env node" as the first line, above the banner.
  banner: { js: "import { createRequire as __wwCreateRequire } from 'node:module';\nconst require = __wwCreateRequire(import.meta.url);" },
  write: false,
});
// Each file is written beside its place and renamed into it, so a command starting meanwhile (or a
// tarball being packed) never reads half a build.
for (const { path, contents } of esm.outputFiles) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents, { mode: path.endsWith('.mjs') ? 0o755 : 0o644 });
  renameSync(partial, path);
}
report('dist/wardwatch-agent.mjs', esm);

if (wantSea) await buildSea();

async function buildSea() {
  // Node 20's single executable applications run one CommonJS script; its require() reaches only
  // Node's built-in modules, which is all a fully bundled agent needs.
  const cjsFile = join(dist, 'wardwatch-agent.cjs');
  const cjs = await build({ ...common, format: 'cjs', outfile: cjsFile });
  report('dist/wardwatch-agent.cjs', cjs);
  const blob = join(dist, 'wardwatch-agent.blob');
  const seaConfig = join(dist, 'sea-config.json');
  writeFileSync(seaConfig, `${JSON.stringify({ main: cjsFile, output: blob, disableExperimentalSEAWarning: true }, null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit', cwd: dist });

  const exe = join(dist, process.platform === 'win32' ? 'wardwatch-agent.exe' : 'wardwatch-agent');
  rmSync(exe, { force: true });
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', exe], { stdio: 'inherit' });
  // (On Windows, `signtool remove /s` the copy first if the node.exe was signed; re-sign afterwards.)

  // postject is not a dependency of this repository: use a local one when installed, else fetch it
  // through npx at the moment the build is run.
  const local = join(here, '../../node_modules/.bin', process.platform === 'win32' ? 'postject.cmd' : 'postject');
  const postject = existsSync(local) ? [local] : ['npx', '--yes', 'postject@1.0.0-alpha.6'];
  const args = [exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'];
  if (process.platform === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(postject[0], [...postject.slice(1), ...args], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', exe], { stdio: 'inherit' });
  console.log(`dist/${exe.split(/[\\/]/).pop()}  ${(statSync(exe).size / 2 ** 20).toFixed(1)} MiB (single executable)`);
}

function report(name, result) {
  const [, output] = Object.entries(result.metafile.outputs).find(([file]) => !file.endsWith('.map'));
  console.log(`${name}  ${(output.bytes / 1024).toFixed(0)} KiB`);
}
