import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type * as TypeScript from 'typescript';
import { buildConsoleFonts, fontSourceDir } from './console-fonts';
export { FONT_URL } from './console-fonts';

/**
 * The web console's files, exactly as browsers receive them: the page, its stylesheet and icon,
 * the console's own TypeScript modules and the evidence verifier's (src/evidence/verify, the very
 * code the CLI runs) as ES modules, and the few @noble files the verifier imports. No bundler:
 * every module is one file, transpiled on its own; only modules reachable from the entry are
 * included, so nothing else under src/ or node_modules/ is ever served.
 *
 * Two ways to get them: `npm run build` precompiles them into dist/console/browser/ (production,
 * where TypeScript is not installed); running from the sources (jest, ts-node, or dist built by
 * `nest build` alone) transpiles them with TypeScript on first use. The Devanagari font subsets
 * (console-fonts.ts) are made by the build too, or from the sources when first asked for.
 */

/** Every console URL but the page itself lives under this prefix; API routes never do. */
export const CONSOLE_PREFIX = '/console/';
/** A module of src/ at src/<path>.ts is served at /console/src/<path>.js, so relative imports resolve as in the sources. */
const SOURCE_URL = '/console/src/';
/** A file of an npm package, at /console/vendor/<package>/<path in the package>. */
const VENDOR_URL = '/console/vendor/';
/** The console's entry module, relative to src/. */
export const CONSOLE_ENTRY = 'console/web/main.ts';
/** Where `npm run build` writes the precompiled files, relative to this module in dist. */
export const PRECOMPILED_DIR = 'browser';
const MANIFEST = 'manifest.json';
const IMPORT_MAP_MARKER = '<!-- import map and module preloads are inserted here -->';

/** The page and the static files beside it in src/console/web, by URL. */
const STATIC_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/console/styles.css': 'styles.css',
  '/console/icon.svg': 'icon.svg',
};

/** The export conditions a browser satisfies, as an import map must resolve them (never `node` or `require`). */
const BROWSER_CONDITIONS = new Set(['browser', 'import', 'module', 'default']);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleFile {
  /** URL path, e.g. /console/src/console/web/main.js. */
  path: string;
  contentType: string;
  body: Buffer;
}

export interface ConsoleAssets {
  files: ConsoleFile[];
  /** The import map's JSON text, exactly as it appears inline in the page (its CSP hash is taken over it). */
  importMapJson: string;
  /** Where they came from, for the start-up log. */
  origin: 'precompiled' | 'transpiled';
  /** From the sources: the font files (under FONT_URL), made when first asked for; precompiled ones are in `files`. */
  lateFiles?: () => Promise<ConsoleFile[]>;
}

/** A file ready to serve: its bytes, gzipped bytes and strong ETag. */
export interface ServedFile extends ConsoleFile {
  gzip: Buffer;
  etag: string;
}

export class ConsoleAssetsError extends Error {
  override readonly name = 'ConsoleAssetsError';
}

function contentTypeOf(path: string): string {
  const extension = posix.extname(path);
  const type = CONTENT_TYPES[extension];
  if (type === undefined) throw new ConsoleAssetsError(`no content type for ${path}`);
  return type;
}

const toPosix = (path: string): string => path.split(sep).join('/');

// ---------------------------------------------------------------------------------------------
// Finding things

/**
 * The src/ folder holding the console's sources: this module's parent when running from the
 * sources (src/console), or ../../src from dist/console in a checkout.
 */
export function findSourceRoot(moduleDir: string): string | undefined {
  return [join(moduleDir, '..'), join(moduleDir, '..', '..', 'src')].find((root) => existsSync(join(root, CONSOLE_ENTRY)));
}

/** The folder of an installed package, looked up in node_modules from `fromDir` upwards, as Node does. */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new ConsoleAssetsError(`package ${name} is not installed (looked up from ${fromDir})`);
  }
}

/** The first target of a package.json `exports` entry under the browser's conditions, in the entry's key order (as Node resolves). */
function pickTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(pickTarget).find((target) => target !== undefined);
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!BROWSER_CONDITIONS.has(condition)) continue;
    const target = pickTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** '@noble/hashes/sha256' → { name: '@noble/hashes', subpath: './sha256' }. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return { name: parts.slice(0, length).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** A bare specifier to the file a browser must load for it, through the package's `exports`. */
function resolveBareSpecifier(specifier: string, fromDir: string): { name: string; dir: string; file: string } {
  const { name, subpath } = splitSpecifier(specifier);
  const dir = packageDir(name, fromDir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown };
  const exportsField = manifest.exports;
  let entry: unknown;
  if (
    exportsField !== null &&
    typeof exportsField === 'object' &&
    !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((k) => k.startsWith('.'))
  ) {
    entry = (exportsField as Record<string, unknown>)[subpath];
  } else if (subpath === '.') {
    entry = exportsField;
  }
  const target = pickTarget(entry);
  // Only packages that declare ES module exports are served: a CommonJS file would not run in a browser.
  if (target === undefined)
    throw new ConsoleAssetsError(`cannot resolve ${specifier} for the browser: ${name} exports no "import" target for ${subpath}`);
  const file = join(dir, target);
  if (!existsSync(file)) throw new ConsoleAssetsError(`${specifier} resolves to ${file}, which does not exist`);
  return { name, dir, file };
}

/** The module specifiers a file imports (static, re-exports and dynamic), found by TypeScript's scanner, not a regex. */
function importsOf(ts: typeof TypeScript, code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((file) => file.fileName);
}

const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');

// ---------------------------------------------------------------------------------------------
// Building (needs TypeScript)

/** A module specifier in transpiled code: where its string literal sits, and whether the import is dynamic. */
interface SpecifierSite {
  text: string;
  start: number;
  end: number;
  dynamic: boolean;
}

/** Every import, re-export and import() of an ES module, found in its syntax tree. */
function specifierSites(ts: typeof TypeScript, path: string, code: string): SpecifierSite[] {
  const source = ts.createSourceFile(path, code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const sites: SpecifierSite[] = [];
  const add = (literal: TypeScript.Node | undefined, dynamic: boolean): void => {
    if (literal !== undefined && ts.isStringLiteral(literal))
      sites.push({ text: literal.text, start: literal.getStart(source), end: literal.getEnd(), dynamic });
  };
  const walk = (node: TypeScript.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], true);
    ts.forEachChild(node, walk);
  };
  walk(source);
  return sites;
}

/** src/ modules from the entry, transpiled one by one to ES modules, with `.js` added to relative imports. */
function transpileSources(
  ts: typeof TypeScript,
  sourceRoot: string,
): { modules: Map<string, string>; bare: Set<string>; eager: Set<string> } {
  const modules = new Map<string, string>();
  const bare = new Set<string>();
  // Modules the entry imports statically, at any depth: the page preloads them to save round trips.
  const eager = new Set<string>();
  const visit = (path: string, isEager: boolean): void => {
    const wasEager = eager.has(path);
    if (isEager) eager.add(path);
    if (modules.has(path)) {
      // Reached lazily first, statically now: what it imports statically becomes eager too.
      if (isEager && !wasEager) for (const target of staticRelativeTargets.get(path) ?? []) visit(target, true);
      return;
    }
    const file = join(sourceRoot, path);
    if (!existsSync(file)) throw new ConsoleAssetsError(`the console imports ${path}, which does not exist`);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: path,
      reportDiagnostics: false,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        removeComments: true,
        sourceMap: false,
        isolatedModules: true,
      },
    });
    modules.set(path, outputText);
    let code = outputText;
    const targets: Array<{ target: string; dynamic: boolean }> = [];
    // From the end, so earlier positions stay valid while later literals are rewritten.
    for (const site of specifierSites(ts, path, outputText).reverse()) {
      if (!isRelative(site.text)) {
        bare.add(site.text);
        continue;
      }
      // Sources import each other without an extension, as everywhere in src/; the browser needs the .js.
      const target = posix.normalize(posix.join(posix.dirname(path), `${site.text}.ts`));
      if (!existsSync(join(sourceRoot, target))) throw new ConsoleAssetsError(`${path} imports ${site.text}, but ${target} does not exist`);
      targets.push({ target, dynamic: site.dynamic });
      code = `${code.slice(0, site.start)}'${site.text}.js'${code.slice(site.end)}`;
    }
    modules.set(path, code);
    staticRelativeTargets.set(
      path,
      targets.filter((t) => !t.dynamic).map((t) => t.target),
    );
    for (const { target, dynamic } of targets.reverse()) visit(target, isEager && !dynamic);
  };
  const staticRelativeTargets = new Map<string, string[]>();
  visit(CONSOLE_ENTRY, true);
  return { modules, bare, eager };
}

/** The package files the bare specifiers lead to, with every file those import in turn. */
function vendorFiles(
  ts: typeof TypeScript,
  specifiers: Iterable<string>,
  fromDir: string,
): { files: Map<string, Buffer>; imports: Record<string, string> } {
  const files = new Map<string, Buffer>();
  const imports: Record<string, string> = {};
  const urlOf = (name: string, dir: string, file: string): string => `${VENDOR_URL}${name}/${toPosix(relative(dir, file))}`;
  const addFile = (name: string, dir: string, file: string): void => {
    const url = urlOf(name, dir, file);
    if (files.has(url)) return;
    const code = readFileSync(file, 'utf8');
    // The source maps are not served; without the comment, browser tools do not ask for them.
    files.set(url, Buffer.from(code.replace(/^\/\/# sourceMappingURL=.*$/m, ''), 'utf8'));
    for (const specifier of importsOf(ts, code)) {
      if (isRelative(specifier)) {
        const target = join(dirname(file), specifier);
        if (!existsSync(target)) throw new ConsoleAssetsError(`${file} imports ${specifier}, which does not exist`);
        addFile(name, dir, target);
      } else {
        addSpecifier(specifier);
      }
    }
  };
  const addSpecifier = (specifier: string): void => {
    if (imports[specifier] !== undefined) return;
    const { name, dir, file } = resolveBareSpecifier(specifier, fromDir);
    imports[specifier] = urlOf(name, dir, file);
    addFile(name, dir, file);
  };
  for (const specifier of specifiers) addSpecifier(specifier);
  return { files, imports };
}

/**
 * Builds every console file from the sources but the fonts (`lateFiles`, made on first request:
 * cutting them takes seconds a page load need not wait for). `sourceRoot` is the src/ folder;
 * packages are found from it, the fonts in assets/fonts beside it.
 */
export function buildConsoleAssets(ts: typeof TypeScript, sourceRoot: string): ConsoleAssets {
  const { modules, bare, eager } = transpileSources(ts, sourceRoot);
  const vendor = vendorFiles(ts, [...bare].sort(), sourceRoot);
  const sortedImports = Object.fromEntries(Object.entries(vendor.imports).sort(([a], [b]) => a.localeCompare(b)));
  const importMapJson = JSON.stringify({ imports: sortedImports });
  const moduleUrl = (path: string): string => `${SOURCE_URL}${path.replace(/\.ts$/, '.js')}`;

  const webDir = join(sourceRoot, 'console', 'web');
  const files: ConsoleFile[] = [];
  for (const [path, name] of Object.entries(STATIC_FILES)) {
    let body = readFileSync(join(webDir, name), 'utf8');
    if (name === 'index.html') {
      if (!body.includes(IMPORT_MAP_MARKER)) throw new ConsoleAssetsError(`index.html lacks the marker ${IMPORT_MAP_MARKER}`);
      const preloads = [...eager].filter((p) => p !== CONSOLE_ENTRY).map((p) => `<link rel="modulepreload" href="${moduleUrl(p)}">`);
      body = body.replace(IMPORT_MAP_MARKER, [`<script type="importmap">${importMapJson}</script>`, ...preloads].join('\n    '));
    }
    files.push({ path, contentType: contentTypeOf(name), body: Buffer.from(body, 'utf8') });
  }
  for (const [path, code] of modules)
    files.push({ path: moduleUrl(path), contentType: contentTypeOf('module.js'), body: Buffer.from(code, 'utf8') });
  for (const [path, body] of vendor.files) files.push({ path, contentType: contentTypeOf(path), body });
  return { files, importMapJson, origin: 'transpiled', lateFiles: () => buildConsoleFonts(fontSourceDir(sourceRoot)) };
}

// ---------------------------------------------------------------------------------------------
// Precompiled files (dist)

interface Manifest {
  importMapJson: string;
  files: Array<{ path: string; contentType: string; file: string }>;
}

/** The file name a URL path is stored under in the precompiled folder. */
const storedName = (path: string): string => (path === '/' ? 'index.html' : path.slice(CONSOLE_PREFIX.length));

/** The files and manifest `npm run build` writes into dist/console/browser. */
export function precompiledFiles(assets: ConsoleAssets): Array<{ name: string; body: Buffer }> {
  const manifest: Manifest = {
    importMapJson: assets.importMapJson,
    files: assets.files.map((f) => ({ path: f.path, contentType: f.contentType, file: storedName(f.path) })),
  };
  return [
    ...assets.files.map((f) => ({ name: storedName(f.path), body: f.body })),
    { name: MANIFEST, body: Buffer.from(JSON.stringify(manifest, null, 2)) },
  ];
}

function readPrecompiled(dir: string): ConsoleAssets {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  return {
    importMapJson: manifest.importMapJson,
    files: manifest.files.map((f) => ({ path: f.path, contentType: f.contentType, body: readFileSync(join(dir, ...f.file.split('/'))) })),
    origin: 'precompiled',
  };
}

/**
 * The console's files for a server whose module lives in `moduleDir`: precompiled ones when the
 * build wrote them, else transpiled from the sources with TypeScript (a development checkout).
 */
export function loadConsoleAssets(moduleDir: string): ConsoleAssets {
  const precompiled = join(moduleDir, PRECOMPILED_DIR);
  if (existsSync(join(precompiled, MANIFEST))) return readPrecompiled(precompiled);
  const sourceRoot = findSourceRoot(moduleDir);
  if (sourceRoot === undefined) {
    throw new ConsoleAssetsError(`the web console was not built into ${precompiled} and its sources are not here: run \`npm run build\``);
  }
  let ts: typeof TypeScript;
  try {
    // A development dependency: present wherever the sources are used, absent in production images.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when serving from the sources, never in a built install
    ts = require('typescript') as typeof TypeScript;
  } catch {
    throw new ConsoleAssetsError(
      `the web console was not built into ${precompiled} and TypeScript is not installed to build it: run \`npm run build\``,
    );
  }
  return buildConsoleAssets(ts, sourceRoot);
}

/** Adds the gzipped body and ETag of every file, once, so requests only pick bytes. */
export function prepareForServing(assets: ConsoleAssets): Map<string, ServedFile> {
  return new Map(
    assets.files.map((file) => [
      file.path,
      {
        ...file,
        gzip: gzipSync(file.body, { level: 9 }),
        etag: `"${createHash('sha256').update(file.body).digest('base64url').slice(0, 27)}"`,
      },
    ]),
  );
}

/** The CSP source allowing exactly this inline import map and no other inline script. */
export function importMapCspSource(importMapJson: string): string {
  return `'sha256-${createHash('sha256').update(importMapJson, 'utf8').digest('base64')}'`;
}
