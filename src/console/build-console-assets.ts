import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { buildConsoleAssets, findSourceRoot, PRECOMPILED_DIR, precompiledFiles } from './console-assets';

/**
 * `npm run build` runs this after `nest build` (node dist/console/build-console-assets.js): it
 * transpiles the web console's modules and copies the package files they import into
 * dist/console/browser, where the server reads them without TypeScript (production images prune
 * development dependencies). Run from dist only: from the sources there is nothing to precompile.
 */
function main(): void {
  if (__filename.endsWith('.ts')) throw new Error('run the compiled script in dist/console after `nest build`, not the source');
  const sourceRoot = findSourceRoot(__dirname);
  if (sourceRoot === undefined) throw new Error(`the console's sources (src/console/web) are not found from ${__dirname}`);
  const assets = buildConsoleAssets(ts, sourceRoot);
  const outDir = join(__dirname, PRECOMPILED_DIR);
  rmSync(outDir, { recursive: true, force: true });
  let bytes = 0;
  for (const { name, body } of precompiledFiles(assets)) {
    const file = join(outDir, ...name.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    bytes += body.length;
  }
  process.stdout.write(`web console: ${assets.files.length} files, ${Math.ceil(bytes / 1024)} KiB in ${outDir}\n`);
}

main();
