import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { buildConsoleAssets, ConsoleAssetsError, loadConsoleAssets, PRECOMPILED_DIR, precompiledFiles } from './console-assets';

describe('web console assets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back, byte for byte, what `npm run build` writes into dist/console/browser', () => {
    const built = buildConsoleAssets(ts, join(__dirname, '..'));
    for (const { name, body } of precompiledFiles(built)) {
      const file = join(dir, PRECOMPILED_DIR, ...name.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
    }
    const loaded = loadConsoleAssets(dir);
    expect(loaded.origin).toBe('precompiled');
    expect(loaded.importMapJson).toBe(built.importMapJson);
    expect(loaded.files.map((f) => [f.path, f.contentType, f.body.toString('base64')])).toEqual(
      built.files.map((f) => [f.path, f.contentType, f.body.toString('base64')]),
    );
  });

  it('transpiles only what the console reaches, with .js added to every relative import', () => {
    const built = buildConsoleAssets(ts, join(__dirname, '..'));
    const paths = built.files.map((f) => f.path);
    expect(paths).toContain('/console/src/evidence/verify/bundle.verify.js');
    expect(
      paths.filter(
        (p) =>
          p.startsWith('/console/src/') &&
          !/^\/console\/src\/(console\/web|evidence|custody\/values\.js|shared\/(actor|indian-day|canonical-json|log-origin)\.js|sealing\/(commitment|field-path)\.js)/.test(
            p,
          ),
      ),
    ).toEqual([]);
    for (const file of built.files.filter((f) => f.path.endsWith('.js'))) {
      const relative = [...file.body.toString('utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g)].map((m) => m[1]);
      expect({ file: file.path, withoutExtension: relative.filter((r) => !r.endsWith('.js')) }).toEqual({
        file: file.path,
        withoutExtension: [],
      });
    }
  });

  it('says how to fix a dist that has neither the built files nor the sources', () => {
    expect(() => loadConsoleAssets(join(dir, 'dist', 'console'))).toThrow(ConsoleAssetsError);
    expect(() => loadConsoleAssets(join(dir, 'dist', 'console'))).toThrow(/run `npm run build`/);
  });
});
