'use strict';
/**
 * `node -r ./test/support/register-ts.cjs src/cli/main.ts`: runs the TypeScript sources in a child
 * process the way ts-node's transpile-only mode does (TypeScript's transpileModule with the options
 * of tsconfig.json), but keeps each file's output on disk, keyed by its path and contents, the
 * tsconfig, the TypeScript version and this file. ts-node transpiles the ~130 files of the CLI (and
 * more of the server) again in every process, some 3 s of CPU each; from the cache a CLI run costs
 * about 0.5 s, so the tests that run the CLI and the server as processes stay fast, and a changed
 * source is never run stale: its new contents are a new key. Plain JavaScript, so that loading it
 * needs no compiler; TypeScript itself is loaded only on a miss.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve } = require('node:path');

const PROJECT_ROOT = resolve(__dirname, '../..');
const TSCONFIG = join(PROJECT_ROOT, 'tsconfig.json');
// node_modules/.cache is what tools conventionally own; the browser tests unpack Chromium there too.
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules/.cache/seizure-ledger/transpiled-ts');

const tsconfigText = readFileSync(TSCONFIG, 'utf8');
const typescriptVersion = JSON.parse(readFileSync(require.resolve('typescript/package.json', { paths: [PROJECT_ROOT] }), 'utf8')).version;
const setupKey = createHash('sha256').update(readFileSync(__filename)).update(tsconfigText).update(typescriptVersion).digest();

let compiler; // { ts, options }, once the first miss needs it

function transpile(source, filename) {
  if (compiler === undefined) {
    const ts = require(require.resolve('typescript', { paths: [PROJECT_ROOT] }));
    const { config, error } = ts.parseConfigFileTextToJson(TSCONFIG, tsconfigText);
    if (error !== undefined) throw new Error(`${TSCONFIG}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, PROJECT_ROOT, TSCONFIG);
    // As ts-node: no declarations, and source maps inline so that stack traces name the .ts lines.
    compiler = { ts, options: { ...options, declaration: false, noEmit: false, sourceMap: false, inlineSourceMap: true } };
  }
  const { ts, options } = compiler;
  return ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: false }).outputText;
}

function compileCached(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const key = createHash('sha256').update(setupKey).update(filename).update('\0').update(source).digest('hex');
  const cached = join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  let output;
  try {
    output = readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    // Written aside and renamed into place: processes running side by side never read half a file.
    mkdirSync(join(CACHE_DIR, key.slice(0, 2)), { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, output);
    renameSync(partial, cached);
  }
  module._compile(output, filename);
}

process.setSourceMapsEnabled(true);
Module._extensions['.ts'] = compileCached;
