import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Replay } from '../support/readme-examples/replay';
import { parseScript, shellBlocks, type Statement } from '../support/readme-examples/shell-script';
import { PROJECT_ROOT, freePort, startServerProcess, waitForHealth, within, type ServerProcess } from '../support/server-process';

/**
 * The README's *Examples*, replayed in order against the real server as a user would paste them:
 * each curl must answer the status the README states under it. A wrong body, header, route or
 * status in the README fails here, naming its line.
 */
jest.setTimeout(180_000);

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const blocks = shellBlocks(README, 'Examples');
const sections = [...new Set(blocks.map((block) => block.heading))].map((heading) => ({
  heading,
  statements: blocks.filter((block) => block.heading === heading).flatMap((block) => parseScript(block.script, block.line)),
}));

/** A scanned seizure memo, as small as a PDF gets: what the user attaches in the README. */
const SCANNED_MEMO = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('the README examples, replayed against a live server (e2e)', () => {
  let root: string;
  let server: ServerProcess;
  let replay: Replay;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-readme-'));
    const dataDir = join(root, 'data');
    const port = await freePort();
    // Tree heads every second rather than every 5 s, so the README's `sleep 6` can be shortened.
    server = startServerProcess({ PORT: String(port), HOST: '127.0.0.1', LEDGER_DATA_DIR: dataDir, TREE_HEAD_INTERVAL_SECONDS: '1' });
    expect((await waitForHealth(`http://127.0.0.1:${port}/health`, server, 120_000)).status).toBe(200);
    replay = new Replay({
      pinned: { BASE: `http://127.0.0.1:${port}` },
      files: new Map([['panchnama-FS3-VNS-2024-117.pdf', SCANNED_MEMO]]),
      dataDir,
      maxSleepSeconds: 3,
    });
  });

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await within(30_000, 'server exit', server.exited);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the examples: every command and query of the API, each curl with the status it answers', () => {
    const statements = sections.flatMap((section) => section.statements);
    const curls = statements.filter((statement) => statement.text.includes('curl '));
    expect(curls.length).toBeGreaterThanOrEqual(50);
    expect(curls.filter((statement) => statement.expectedStatus === undefined).map((statement) => statement.line)).toEqual([]);
    const routes = new Set(curls.map((statement) => /\$BASE(\/[^"?]*)/.exec(statement.text)?.[1].replace(/\$[A-Z_]+/g, ':id')));
    for (const route of [
      '/seizures',
      '/seizures/:id/fir-closures',
      '/seizures/:id/release-disputes/:id/resolution',
      '/evidence/consistency-proof',
    ]) {
      expect(routes).toContain(route);
    }
  });

  describe.each(sections.map((section) => [section.heading, section.statements] as const))('%s', (_heading, statements) => {
    it('answers every step with the status the README states', async () => {
      for (const statement of statements) await expectAsStated(replay, statement);
    });
  });
});

async function expectAsStated(replay: Replay, statement: Statement): Promise<void> {
  const outcome = await replay.run(statement);
  const answered = outcome.statuses.at(-1);
  if (outcome.statuses.length > 1) throw new Error(`README line ${outcome.line} makes ${outcome.statuses.length} requests in one step`);
  if (answered !== outcome.expected) {
    throw new Error(
      `README line ${outcome.line} answered ${answered ?? 'no HTTP request'}, the README says ${outcome.expected ?? 'nothing'}:\n` +
        `${outcome.text.slice(0, 300)}\n${outcome.body.slice(0, 800)}`,
    );
  }
}
