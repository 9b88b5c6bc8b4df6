import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptNodeFlags } from '../../bench/http/ledger-server';
import { PROJECT_ROOT } from '../support/server-process';

/** The node arguments of the Dockerfile's last CMD (exec form), before dist/main.js. */
function dockerfileNodeFlags(): string[] {
  const commands = [...readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8').matchAll(/^CMD (\[.*\])$/gm)];
  const command = JSON.parse(commands[commands.length - 1][1]) as string[];
  expect(command[0]).toBe('node');
  expect(command[command.length - 1]).toBe('dist/main.js');
  return command.slice(1, -1);
}

describe("the server's node flags", () => {
  it('are the same for npm start, the container and the bench', () => {
    const flags = startScriptNodeFlags(PROJECT_ROOT);
    expect(flags).toEqual(['--max-semi-space-size=4']);
    expect(dockerfileNodeFlags()).toEqual(flags);
    const { scripts } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:prod']).toBe(scripts.start);
  });

  describe('read from a start script', () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ledger-start-flags-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));
    const withStart = (start: string | undefined) =>
      writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: start === undefined ? {} : { start } }));

    it('gives none when node runs the build without flags', () => {
      withStart('exec node dist/main.js');
      expect(startScriptNodeFlags(root)).toEqual([]);
    });

    it('gives several in their order', () => {
      withStart('exec node --max-semi-space-size=4 --enable-source-maps dist/main.js');
      expect(startScriptNodeFlags(root)).toEqual(['--max-semi-space-size=4', '--enable-source-maps']);
    });

    it.each([undefined, 'node dist/main.js', 'exec node dist/main.js --port 3000', 'exec nest start'])(
      'refuses a start script the bench cannot reproduce: %s',
      (start) => {
        withStart(start);
        expect(() => startScriptNodeFlags(root)).toThrow(/start script is not `exec node \[--flag …\] dist\/main\.js`/);
      },
    );
  });
});
