import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FROM_SOURCES } from './cli-process';

// The cached transpiler every test that starts the CLI or the server as a process relies on.
describe('register-ts (TypeScript sources in child processes, transpiled once)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'register-ts-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string) => spawnSync(process.execPath, [...FROM_SOURCES, file], { encoding: 'utf8', timeout: 60_000 });

  it('runs a changed source as it now is, never the cached output of what it was', () => {
    const file = join(dir, 'answer.ts');
    const version = (n: number) => `const answer: number = ${n};\nprocess.stdout.write(String(answer));\n`;
    writeFileSync(file, version(1));
    expect(run(file).stdout).toBe('1');
    expect(run(file).stdout).toBe('1');
    writeFileSync(file, version(2));
    expect(run(file).stdout).toBe('2');
  });

  it('compiles with the project’s options (decorator metadata) and maps stack traces to the .ts lines', () => {
    const file = join(dir, 'decorated.ts');
    writeFileSync(
      file,
      [
        `import ${JSON.stringify(require.resolve('reflect-metadata'))};`,
        'const noop = (): PropertyDecorator => () => undefined;',
        'class Box {',
        '  @noop() size!: number;',
        '}',
        "const type = Reflect.getMetadata('design:type', Box.prototype, 'size') as NumberConstructor;",
        'process.stdout.write(type.name);',
        "throw new Error('from line 8');",
        '',
      ].join('\n'),
    );
    const r = run(file);
    expect(r.stdout).toBe('Number');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:8`);
  });
});
