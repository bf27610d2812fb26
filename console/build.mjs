// Builds the console into dist/console (or the folder given as the first argument):
// one hashed script and stylesheet (esbuild), index.html naming them, and a
// Brotli and a gzip copy of each file, so serving compresses nothing per request.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = import.meta.dirname;
const outdir = resolve(process.argv[2] ?? join(here, '..', 'dist', 'console'));
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: { console: join(here, 'src', 'main.ts') },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  entryNames: '[name]-[hash]',
  outdir,
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
const js = outputs.find((f) => f.endsWith('.js'));
const css = outputs.find((f) => f.endsWith('.css'));
if (!js || !css) throw new Error(`console build: no script or stylesheet in ${outputs.join(', ')}`);
writeFileSync(
  join(outdir, 'index.html'),
  readFileSync(join(here, 'index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css),
);

for (const name of readdirSync(outdir)) {
  const raw = readFileSync(join(outdir, name));
  writeFileSync(
    join(outdir, `${name}.br`),
    brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  writeFileSync(join(outdir, `${name}.gz`), gzipSync(raw, { level: 9 }));
}
console.log(
  `console: ${readdirSync(outdir)
    .map((f) => `${f} ${readFileSync(join(outdir, f)).length}`)
    .join(', ')}`,
);
