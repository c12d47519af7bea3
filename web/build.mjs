// Builds web/dist: one hashed ESM bundle, one hashed CSS file, index.html and
// manifest.json. The server embeds exactly the files listed in the manifest, so
// the manifest is written last, after every file it names exists.
import * as esbuild from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: join(here, 'src/main.js') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outdir: dist,
  // Content hashes in the names let the server cache them forever.
  entryNames: '[name].[hash]',
  assetNames: '[name].[hash]',
  loader: { '.json': 'json' },
  // The bundle must not reach outside the origin (CSP 'self' only).
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => p.split('/').pop());
const js = outputs.find((f) => /^app\.[A-Z0-9]+\.js$/i.test(f));
const css = outputs.find((f) => /^app\.[A-Z0-9]+\.css$/i.test(f));
if (!js || !css) {
  console.error('build: expected app.<hash>.js and app.<hash>.css, got', outputs);
  process.exit(1);
}

// No inline script or style: the CSP forbids both.
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>caremap</title>
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>caremap needs JavaScript.</noscript>
</body>
</html>
`;
await writeFile(join(dist, 'index.html'), html);

const files = [
  { path: `/assets/${js}`, file: js, type: 'text/javascript; charset=utf-8', immutable: true },
  { path: `/assets/${css}`, file: css, type: 'text/css; charset=utf-8', immutable: true },
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8', immutable: false },
];
await writeFile(join(dist, 'manifest.json'), JSON.stringify({ files }, null, 2) + '\n');

// Anything else esbuild wrote (for example a stray asset) would not be served;
// fail loudly rather than ship a page that points at a missing file.
const listed = new Set(files.map((f) => f.file).concat(['manifest.json']));
for (const f of await readdir(dist)) {
  if (!listed.has(f)) {
    console.error(`build: ${f} is not in the manifest`);
    process.exit(1);
  }
}
let total = 0;
for (const f of [js, css]) total += (await readFile(join(dist, f))).length;
console.log(`build: ${js} ${css} (${total} bytes before gzip)`);
