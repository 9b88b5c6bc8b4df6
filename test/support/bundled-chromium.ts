import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/**
 * The Chromium that ships inside the npm package @sparticuz/chromium (a headless shell with its own
 * NSS, NSPR and expat), so the browser tests need nothing from the system's package manager.
 *
 * The package's own executablePath() unpacks into the shared temp dir and reuses whatever binary it
 * finds there, whatever its version; this unpacks once per version into the project's cache instead,
 * into a temp dir renamed into place when complete, so parallel jest workers never see half a binary.
 */

/** Where the project keeps what it unpacks (node_modules/.cache is what tools conventionally own). */
const CACHE_ROOT = resolve(__dirname, '../../node_modules/.cache/seizure-ledger');
/** The fonts the evidence PDF ships with: Latin and Devanagari Noto Sans. */
const FONTS_DIR = resolve(__dirname, '../../assets/fonts');

export interface BundledChromium {
  executablePath: string;
  version: string;
  /** LD_LIBRARY_PATH for the bundled libraries and FONTCONFIG_FILE for the shipped fonts. */
  env: Record<string, string>;
}

export function bundledChromium(): BundledChromium {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships a Linux x64 Chromium; this is ${process.platform}/${process.arch}.`);
  }
  const packageDir = resolve(dirname(require.resolve('@sparticuz/chromium')), '../..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const dir = unpackOnce(join(CACHE_ROOT, `chromium-${version}`), (into) => unpack(join(packageDir, 'bin'), into));
  const libraryPath = [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return {
    executablePath: join(dir, 'chromium'),
    version,
    env: { LD_LIBRARY_PATH: libraryPath, FONTCONFIG_FILE: fontsConf() },
  };
}

/** `target` if it exists, else fills a fresh temp dir beside it and renames that into place; the first rename wins. */
function unpackOnce(target: string, fill: (dir: string) => void): string {
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(`${target}.partial-`);
  try {
    fill(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    // Another worker renamed its complete copy first: use that one.
    if (!existsSync(target)) throw error;
  }
  return target;
}

function unpack(bin: string, into: string): void {
  writeFileSync(join(into, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))), { mode: 0o755 });
  // NSS, NSPR and expat (lib/), which a machine without a system browser may lack. The package's
  // swiftshader (software WebGL) and Open Sans are left packed: the tests run with --disable-gpu and
  // the shipped Noto fonts.
  extractTar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), into);
}

/** Regular files and directories of a ustar archive (all the package's archives hold); anything else is refused. */
function extractTar(tar: Buffer, into: string): void {
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.toString('latin1', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const mode = parseInt(field(100, 8).trim() || '644', 8);
    const type = field(156, 1) || '0';
    const path = resolve(into, name);
    if (!path.startsWith(`${resolve(into)}/`)) throw new Error(`tar entry ${name} points outside ${into}`);
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (type === '0') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tar.subarray(offset + 512, offset + 512 + size));
      chmodSync(path, mode & 0o777);
    } else throw new Error(`tar entry ${name} has type ${type}, which this reader does not unpack`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

/** A fontconfig file naming only the shipped Noto fonts, one per checkout (it holds that checkout's path). */
function fontsConf(): string {
  const key = createHash('sha256').update(FONTS_DIR).digest('hex').slice(0, 12);
  const file = join(CACHE_ROOT, `fonts-${key}.conf`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_ROOT, { recursive: true });
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const conf = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${xml(FONTS_DIR)}</dir>`,
    `  <cachedir>${xml(join(CACHE_ROOT, 'fontconfig'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, conf);
  renameSync(temp, file);
  return file;
}
