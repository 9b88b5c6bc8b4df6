import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { buildConsoleAssets, findSourceRoot, PRECOMPILED_DIR, precompiledFiles } from './console-assets';
import { buildConsoleFonts, fontSourceDir } from './console-fonts';

/**
 * `npm run build` runs this after `nest build` (node dist/console/build-console-assets.js): it
 * transpiles the web console's modules, copies the package files they import and makes the
 * Devanagari font subsets into dist/console/browser, where the server reads them without TypeScript (production images prune
 * development dependencies). Run from dist only: from the sources there is nothing to precompile.
 */
async function main(): Promise<void> {
  if (__filename.endsWith('.ts')) throw new Error('run the compiled script in dist/console after `nest build`, not the source');
  const sourceRoot = findSourceRoot(__dirname);
  if (sourceRoot === undefined) throw new Error(`the console's sources (src/console/web) are not found from ${__dirname}`);
  const assets = buildConsoleAssets(ts, sourceRoot);
  assets.files.push(...(await buildConsoleFonts(fontSourceDir(sourceRoot))));
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

main().catch((error: unknown) => {
  process.stderr.write(`web console: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
